"""The trust center's records: its settings per provider, outside readers' requests and
the access they were given, NDA versions and their acceptances, reading events,
subscriptions and webhooks."""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from audit.models import ObjectType
from matrices.models import MatrixVersion, Offering, Provider


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class TrustCenter(models.Model):
    """A provider's trust center: whether outsiders may ask to read it, and on what terms.

    Without one (or disabled), a gated provider stays invisible to outsiders, as before.
    """

    audit_type = ObjectType.TRUST_CENTER

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="trust_center")
    enabled = models.BooleanField(
        default=False, help_text="Outsiders see the trust-center page and may ask for access."
    )
    introduction = models.TextField(blank=True, help_text="Shown atop the page (Markdown).")
    default_days = models.PositiveSmallIntegerField(
        default=30, help_text="How long an approved reader may read, unless the approver says."
    )
    auto_approve_domains = models.JSONField(
        default=list,
        blank=True,
        help_text="Confirmed addresses at these domains are approved at once (lower case).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "trust center"

    def __str__(self) -> str:
        return f"Trust center of {self.provider}"

    def audit_snapshot(self) -> dict:
        return {
            "enabled": self.enabled,
            "default_days": self.default_days,
            "auto_approve_domains": list(self.auto_approve_domains),
            "introduction_sha256": sha256_text(self.introduction),
        }


class AccessRequest(models.Model):
    """An outside reader's request to read a provider, from the trust-center form.

    It waits for its email address to be confirmed (only the link's digest is kept),
    then for a trust manager's decision; an approval makes an ``AccessGrant``.
    """

    audit_type = ObjectType.ACCESS_REQUEST

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Email not confirmed yet"
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="access_requests")
    name = models.CharField(max_length=150)
    email = models.EmailField(help_text="Work address; stored in lower case.")
    company = models.CharField(max_length=150)
    purpose = models.TextField(max_length=2000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_requests",
        help_text="The reader's account, once the address is confirmed.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_requests_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    auto_approved = models.BooleanField(default=False)
    reason = models.TextField(blank=True, help_text="Why it was denied (sent to the requester).")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["provider", "status"], name="trust_request_queue")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.company})"

    def audit_snapshot(self) -> dict:
        return {
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "purpose": self.purpose,
            "status": self.status,
            "reason": self.reason,
        }


class AccessGrantQuerySet(models.QuerySet):
    def live(self, *, now: datetime | None = None) -> AccessGrantQuerySet:
        """The grants that let their reader read now: not ended, not past their expiry."""
        return self.filter(ended_at__isnull=True, expires_at__gt=now or timezone.now())


class AccessGrant(models.Model):
    """An outside reader's access to a provider, for a time, to some or all offerings.

    Its effect is a viewer role (``accounts.ProviderUserRole``) with the same expiry,
    which the access rules read on every path; this record says why, until when, and
    what happened to it.
    """

    audit_type = ObjectType.ACCESS_GRANT

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    request = models.OneToOneField(
        AccessRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="grant"
    )
    company = models.CharField(max_length=150, blank=True)
    offerings = models.ManyToManyField(
        Offering, blank=True, related_name="+", help_text="None listed: every offering."
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_grants_given",
    )
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was revoked or found expired."
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_grants_ended",
    )
    end_reason = models.TextField(blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_live_grant_per_reader",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} until {self.expires_at:%Y-%m-%d}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()

    def audit_snapshot(self) -> dict:
        return {
            "reader": self.user.get_username(),
            "company": self.company,
            "expires_at": self.expires_at.isoformat(),
            "offerings": sorted(o.slug for o in self.offerings.all()) if self.pk else [],
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
        }


class Nda(models.Model):
    """One version of a provider's NDA, as its admins wrote it; never changed afterwards.

    A reader accepts the latest version before any gated content is shown.
    """

    audit_type = ObjectType.NDA

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="ndas")
    number = models.PositiveIntegerField()
    body = models.TextField(help_text="The agreement, in Markdown.")
    sha256 = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["provider", "-number"]
        verbose_name = "NDA version"
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="one_nda_number")
        ]

    def __str__(self) -> str:
        return f"NDA v{self.number} of {self.provider}"

    def save(self, *args, **kwargs) -> None:
        self.sha256 = sha256_text(self.body)
        super().save(*args, **kwargs)

    def audit_snapshot(self) -> dict:
        return {"number": self.number, "sha256": self.sha256}


class NdaAcceptance(models.Model):
    """A reader's acceptance of one NDA version: who, as whom, when, from where."""

    audit_type = ObjectType.NDA_ACCEPTANCE

    nda = models.ForeignKey(Nda, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    company = models.CharField(max_length=150, blank=True)
    accepted_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, help_text="Of the text accepted.")

    class Meta:
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.email} accepted {self.nda}"

    @property
    def provider(self) -> Provider:
        return self.nda.provider


class ReadEvent(models.Model):
    """One view or download of a provider's content, for its analytics.

    Kept for ``TRUST_EVENTS_KEEP_DAYS``, then folded into ``ReadDaily``.
    """

    class Kind(models.TextChoices):
        VIEW = "view", "View"
        DOWNLOAD = "download", "Download"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="read_events")
    version = models.ForeignKey(
        MatrixVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version_number = models.PositiveIntegerField(null=True, blank=True)
    document = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reader = models.CharField(
        max_length=254, blank=True, help_text="Username or email; blank: anonymous."
    )
    company = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["provider", "at"], name="trust_read_provider_at")]

    def __str__(self) -> str:
        return f"{self.reader or 'anonymous'} {self.kind} {self.document}"


class ReadDaily(models.Model):
    """Reading events of one day past their keeping time, counted."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    version_number = models.PositiveIntegerField(null=True, blank=True)
    document = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=ReadEvent.Kind.choices)
    company = models.CharField(max_length=150, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-day"]
        verbose_name_plural = "daily reading counts"

    def __str__(self) -> str:
        return f"{self.day}: {self.count} {self.kind} of {self.document}"


class Subscription(models.Model):
    """An email address that hears of a provider's new versions (double opt-in)."""

    audit_type = ObjectType.SUBSCRIPTION

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a gated provider: whose access each email is checked against.",
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "email"],
                condition=Q(unsubscribed_at__isnull=True),
                name="one_live_subscription_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.provider}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    def audit_snapshot(self) -> dict:
        return {
            "email": self.email,
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "unsubscribed_at": self.unsubscribed_at.isoformat() if self.unsubscribed_at else None,
        }


class SubscriptionNotice(models.Model):
    """A subscriber was emailed of a version: kept so a notice task run again (by hand,
    or after a worker was lost) never emails anyone twice, and to say who was told."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    version = models.ForeignKey(MatrixVersion, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "version"], name="one_notice_per_subscription_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription} told of {self.version}"


class WebhookEvent(models.TextChoices):
    VERSION_PUBLISHED = "version.published", "A version is published"
    ACCESS_REQUESTED = "access.requested", "An outside reader asks for access"
    ACCESS_GRANTED = "access.granted", "A reader is given access"
    ACCESS_ENDED = "access.ended", "A reader's access ends"
    PING = "ping", "A test event, sent on demand"


class Webhook(models.Model):
    """An HTTPS endpoint a provider's admins want called on some events, signed with a secret."""

    audit_type = ObjectType.WEBHOOK

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128, help_text="Signs each delivery (HMAC-SHA256).")
    events = models.JSONField(default=list, help_text="WebhookEvent values.")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["provider", "pk"]

    def __str__(self) -> str:
        return self.url_shown

    @property
    def url_shown(self) -> str:
        """The URL with only its scheme and host: a receiver's path or query may be its
        credential, which the audit log (read by auditors) must not keep."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"

    def audit_snapshot(self) -> dict:
        # Never the secret, nor the whole URL (see url_shown): a fingerprint says it changed.
        return {
            "url": self.url_shown,
            "url_sha256": sha256_text(self.url),
            "events": list(self.events),
            "active": self.active,
        }


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to a webhook, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    redelivery_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook} ({self.status})"
