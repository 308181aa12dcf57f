"""The audit log: an append-only, hash-chained record of every change."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    GRANT = "grant", "Grant"
    REVOKE = "revoke", "Revoke"
    SIGN_IN = "sign-in", "Sign-in"
    SIGN_OUT = "sign-out", "Sign-out"
    FAILED_SIGN_IN = "failed-sign-in", "Failed sign-in"
    LOCK_OUT = "lock-out", "Lock-out"
    SUBMIT = "submit", "Submit for review"
    PUBLISH = "publish", "Approve and publish"
    RETURN = "return", "Return to the editors"
    WITHDRAW = "withdraw", "Withdraw"
    DOWNLOAD = "download", "Download"
    END_SESSIONS = "end-sessions", "End sessions"
    RESEND = "resend", "Resend"
    ACCEPT = "accept", "Accept"
    CONFIRM = "confirm", "Confirm"
    APPROVE = "approve", "Approve"
    DENY = "deny", "Deny"
    EXTEND = "extend", "Extend"
    EXPIRE = "expire", "Expire"
    REMIND = "remind", "Remind"
    REDELIVER = "redeliver", "Redeliver"


class ObjectType(models.TextChoices):
    """What a record is about: every append names one of these, and the log filters by them.

    Callers pass the member (``ObjectType.CELL``), never a string: ``audit_append``
    refuses anything else, so a misspelt type cannot reach the log.
    """

    PROVIDER = "provider", "Provider"
    OFFERING = "offering", "Offering"
    PARTY = "party", "Party"
    DOMAIN = "domain", "Control domain"
    CELL = "cell", "Cell"
    SUBMISSION = "submission", "Submission for review"
    VERSION = "version", "Published version"
    PDF = "pdf", "PDF document"
    IMPORT = "import", "Import of a file"
    ROLE = "role", "Role"
    USER = "user", "User"
    API_TOKEN = "api-token", "API token"
    GROUP = "group", "Group"
    EMAIL_ADDRESS = "email-address", "Email address"
    AUTHENTICATOR = "authenticator", "Second factor (MFA)"
    INVITATION = "invitation", "Invitation"
    TRUST_CENTER = "trust-center", "Trust center"
    ACCESS_REQUEST = "access-request", "Access request"
    ACCESS_GRANT = "access-grant", "Reader's access"
    NDA = "nda", "NDA version"
    NDA_ACCEPTANCE = "nda-acceptance", "NDA acceptance"
    SUBSCRIPTION = "subscription", "Subscription"
    WEBHOOK = "webhook", "Webhook"


# The records that change a provider's matrix (its draft): what a version publishes.
MATRIX_CONTENT = (
    ObjectType.PROVIDER,
    ObjectType.OFFERING,
    ObjectType.PARTY,
    ObjectType.DOMAIN,
    ObjectType.CELL,
)


class AuditRecord(models.Model):
    """One change to anything the portal keeps, by whom, from where, and why.

    Records are never updated or deleted (a PostgreSQL trigger refuses it).
    ``hash`` is an HMAC over the record's canonical content and the previous
    record's hash, so ``manage.py verify_audit`` finds any record altered,
    removed or inserted outside the application. The links to the actor and
    the provider carry no database constraint: deleting a user or a provider
    must not touch the log, which keeps their labels.
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40, choices=ObjectType.choices)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    provider = models.ForeignKey(
        "matrices.Provider",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    provider_label = models.CharField(max_length=120, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["provider", "-seq"], name="audit_provider_seq"),
            models.Index(fields=["actor", "-seq"], name="audit_actor_seq"),
            models.Index(fields=["actor_label", "-seq"], name="audit_actor_label_seq"),
            models.Index(fields=["action", "-seq"], name="audit_action_seq"),
            models.Index(fields=["object_type", "object_id", "-seq"], name="audit_object_seq"),
            models.Index(
                fields=["provider", "object_type", "object_id", "-seq"],
                name="audit_provider_object_seq",
            ),
            models.Index(fields=["created_at"], name="audit_created_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_label}"


class AuditChainHead(models.Model):
    """The chain's last position and hash: one row, locked by every append.

    Locking it serialises appends so the chain never forks, and it anchors
    the end of the chain, so removing the newest records is detected too.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton")
        ]

    def __str__(self) -> str:
        return f"audit chain head at #{self.seq}"
