"""Who holds which role on which provider: django-guardian's direct foreign-key tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.roles import Role
from audit.models import ObjectType

# Roles are held on the matrices app's providers; named, not imported, so that
# the provider model may import the access rules of this app.
PROVIDER_MODEL = "matrices.Provider"


class ProviderUserRole(UserObjectPermissionBase):
    """A role (object permission ``role_*``) a user holds on one provider.

    Most roles are held until revoked. A trust-center reader's is held for a time
    (``expires_at``) and, when the provider has an NDA, counts only once the reader
    has accepted its current version (``needs_agreement`` is then cleared): the access
    rules read both, so every path refuses an expired or unsigned reader at once.
    """

    content_object = models.ForeignKey(
        PROVIDER_MODEL, on_delete=models.CASCADE, related_name="user_roles"
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="The role stops counting at this time; empty: never."
    )
    needs_agreement = models.BooleanField(
        default=False,
        help_text="The holder must accept the provider's current NDA before the role counts.",
    )
    offerings = models.JSONField(
        null=True,
        blank=True,
        help_text="Ids of the only offerings this role reads (a reader's grant); empty: all.",
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "user role on a provider"


class ProviderGroupRole(GroupObjectPermissionBase):
    """A role (object permission ``role_*``) a group holds on one provider."""

    content_object = models.ForeignKey(
        PROVIDER_MODEL, on_delete=models.CASCADE, related_name="group_roles"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "group role on a provider"


class TokenScope(models.TextChoices):
    """What a token may do with its user's roles: read only, or read and write."""

    READ = "read", "Read only"
    READ_WRITE = "read-write", "Read and write"


class ApiToken(models.Model):
    """A personal API token: shown once at creation, stored only as a SHA-256 digest.

    It acts as its user, narrowed by its ``scope`` (a read-only token writes nothing) and,
    when ``providers`` lists some, to those providers (the others are hidden from it, as
    from an outsider).
    """

    audit_type = ObjectType.API_TOKEN  # how the audit log names it

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “CI export job”.")
    prefix = models.CharField(max_length=12, unique=True, help_text="Shown to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # New tokens read only unless asked; the tokens made before scopes existed keep writing
    # (migration 0004 gives them read-write), so no integration breaks silently.
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    providers = models.ManyToManyField(
        PROVIDER_MODEL,
        blank=True,
        related_name="+",
        help_text="The only providers it reaches; none listed: every one its user reaches.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} (srm_{self.prefix}…)"

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Invitation(models.Model):
    """An email address invited to hold a role on a provider, by one of its admins.

    The invitee gets a single-use link; only its SHA-256 digest is kept here, so
    neither the database nor the audit log can hand it out again. An invitation
    is open until it is accepted or revoked; an open one past ``expires_at`` is
    expired and can be resent (a new link, the old one dead).
    """

    audit_type = ObjectType.INVITATION  # how the audit log names it

    provider = models.ForeignKey(
        PROVIDER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(help_text="Where the link goes; stored in lower case.")
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        """pending, expired, accepted or revoked."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "pending"

    @property
    def is_pending(self) -> bool:
        """Its link can still be used."""
        return self.is_open and not self.is_expired

    def audit_snapshot(self) -> dict:
        """What the audit log keeps of it (never the link or its digest)."""
        return {
            "email": self.email,
            "role": self.role,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "send_count": self.send_count,
            "accepted_at": self.accepted_at.isoformat() if self.accepted_at else None,
            "accepted_by": self.accepted_by.get_username() if self.accepted_by else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }
