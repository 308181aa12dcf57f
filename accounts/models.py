"""Who holds which role on which provider: django-guardian's direct foreign-key tables."""

from __future__ import annotations

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from matrices.models import Provider


class ProviderUserRole(UserObjectPermissionBase):
    """A role (object permission ``role_*``) a user holds on one provider."""

    content_object = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="user_roles"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "user role on a provider"


class ProviderGroupRole(GroupObjectPermissionBase):
    """A role (object permission ``role_*``) a group holds on one provider."""

    content_object = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="group_roles"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "group role on a provider"
