"""Who holds which role on which provider: django-guardian's direct foreign-key tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from audit.models import ObjectType

# Roles are held on the matrices app's providers; named, not imported, so that
# the provider model may import the access rules of this app.
PROVIDER_MODEL = "matrices.Provider"


class ProviderUserRole(UserObjectPermissionBase):
    """A role (object permission ``role_*``) a user holds on one provider."""

    content_object = models.ForeignKey(
        PROVIDER_MODEL, on_delete=models.CASCADE, related_name="user_roles"
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
