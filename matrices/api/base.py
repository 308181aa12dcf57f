"""What every endpoint under ``/api/v1/providers/{provider_slug}/`` shares.

The provider is looked up exactly as the pages look it up
(``provider_for_user``): 404 for those who may not see it, 403 for those who
may see it but not act. Reads of the live rows (offerings, cells, duties...)
are reads of the *draft*, so they need the right to read the draft, as on
the pages; everyone else reads published versions (``/matrix/``,
``/versions/``).
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import SAFE_METHODS

from accounts.access import awaiting_agreement, provider_for_user, sees_draft
from accounts.roles import Action
from matrices.models import Provider

DRAFT_ONLY = (
    "The live rows are the draft, which only the provider's editors, approvers and "
    "auditors read; read published versions at /matrix/ or /versions/."
)


class ProviderScoped:
    """A view nested under a provider; ``read_action`` and ``write_action`` guard it.

    ``read_action=None`` means "may read the draft".
    """

    read_action: Action | None = None
    write_action: Action = Action.EDIT

    @cached_property
    def provider(self) -> Provider:
        user = self.request.user
        writing = self.request.method not in SAFE_METHODS
        action = self.write_action if writing else (self.read_action or Action.VIEW)
        try:
            provider = provider_for_user(
                Provider.objects.all(), self.kwargs["provider_slug"], user, action
            )
            if not writing and self.read_action is None and not sees_draft(user, provider):
                raise PermissionDenied(DRAFT_ONLY)
        except Http404:
            slug = self.kwargs["provider_slug"]
            if awaiting_agreement(user, slug):  # still 404, saying what opens it
                nda = self.request.build_absolute_uri(reverse("trust:nda", args=[slug]))
                raise NotFound(f"Accept the provider's NDA at {nda} first.") from None
            raise
        except PermissionDenied:
            if not user.is_authenticated:
                raise NotAuthenticated("Sign in, or send an API token.") from None
            raise
        return provider

    def schema_only(self) -> bool:
        """True while drf-spectacular inspects the view (no request, no provider)."""
        return getattr(self, "swagger_fake_view", False)


REASON_MAX = 500


def reason_field(**options) -> serializers.CharField:
    """The optional reason every write takes, kept in the audit log with the change."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX,
        default="",
        help_text="Why; kept in the audit log with the change.",
        **options,
    )


class StrictInput:
    """A write serializer that refuses fields it does not know (a typo is a 400, not a no-op)."""

    # The fields a PATCH must send all the same (matrices.api.schema says so in the schema).
    required_in_patch: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field: nothing was written."] for name in unknown}
                )
        return super().to_internal_value(data)


# What names an edition (``matrices.selectors.editions.edition_for``): a version number,
# the latest version or the draft.
EDITION = r"^([0-9]+|latest|draft)$"
EDITION_OR_DEFAULT = r"^([0-9]+|latest|draft)?$"


# ``reason`` sent in the query string, by the deletes (whose bodies may be empty).
REASON_PARAMETER = OpenApiParameter(
    "reason", {"type": "string", "maxLength": REASON_MAX}, description="Kept in the audit log."
)


class ReasonSerializer(StrictInput, serializers.Serializer):
    reason = reason_field()


class VersionedDeleteSerializer(ReasonSerializer):
    version = serializers.IntegerField(
        min_value=0, help_text="The version you are deleting; 409 if someone saved since."
    )
