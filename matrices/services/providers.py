"""Creating and deleting a provider (site administrators), and who may see it (its admins)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.access import is_site_admin, require
from accounts.roles import Action
from audit.models import AuditAction
from matrices.models import Cell, Provider, SourceDocument
from matrices.selectors.public import public_version_forget
from matrices.services.auditing import audit_change
from matrices.services.guards import lock

# Slugs that name pages under /providers/ rather than a provider.
# Words that name pages, not providers: /providers/new/, and the trust center's
# /trust/confirm/<link>/ and /trust/subscriptions/<link>/.
RESERVED_PROVIDER_SLUGS = frozenset({"new", "confirm", "subscriptions"})


def _require_site_admin(actor, doing: str) -> None:
    if actor is not None and not is_site_admin(actor):
        raise PermissionDenied(f"Only site administrators {doing}.")


@transaction.atomic
def provider_create(
    *,
    actor=None,
    name: str,
    slug: str,
    website: str = "",
    summary: str = "",
    is_template: bool = False,
    visibility: str = "public",
    sources: Iterable[tuple[str, str]] = (),
    reason: str = "",
) -> Provider:
    """Create a provider with its source documents as (title, url) pairs (superusers only)."""
    _require_site_admin(actor, "create providers")
    provider = Provider(
        name=name,
        slug=slug,
        website=website,
        summary=summary,
        is_template=is_template,
        visibility=visibility,
    )
    errors: dict = {}
    try:
        provider.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if slug in RESERVED_PROVIDER_SLUGS:
        errors.setdefault("slug", []).append(f"“{slug}” is reserved for a page of the portal.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError:
        # Another request took the slug between our check and our insert.
        raise ValidationError({"slug": ["Provider with this Slug already exists."]}) from None
    for position, (title, url) in enumerate(sources):
        source = SourceDocument(provider=provider, title=title, url=url, position=position)
        source.full_clean()
        source.save()
    audit_change(
        provider,
        AuditAction.CREATE,
        actor=actor,
        after=provider.audit_snapshot(),
        reason=reason,
    )
    return provider


@transaction.atomic
def provider_delete(*, actor=None, provider: Provider, reason: str = "") -> None:
    """Delete a provider and its whole matrix; every cell's content stays in the log."""
    _require_site_admin(actor, "delete providers")
    for cell in Cell.objects.filter(provider=provider).select_related("offering", "domain"):
        audit_change(
            cell, AuditAction.DELETE, actor=actor, before=cell.audit_snapshot(), reason=reason
        )
    for axis in (*provider.offerings.all(), *provider.parties.all(), *provider.domains.all()):
        audit_change(
            axis, AuditAction.DELETE, actor=actor, before=axis.audit_snapshot(), reason=reason
        )
    audit_change(
        provider, AuditAction.DELETE, actor=actor, before=provider.audit_snapshot(), reason=reason
    )
    slug = provider.slug
    provider.delete()
    transaction.on_commit(lambda: public_version_forget(slug))


@transaction.atomic
def provider_set_visibility(
    *, actor, provider: Provider, visibility: str, expected_version: int | None, reason: str = ""
) -> Provider:
    """Make a provider public, visible to signed-in users only, or private (provider admins)."""
    require(actor, provider, Action.MANAGE_ACCESS)
    current = lock(Provider, provider.pk, expected_version)
    before = current.audit_snapshot()
    current.visibility = visibility
    current.full_clean()
    if current.visibility == before["visibility"]:
        return current
    current.version += 1
    current.save(update_fields=["visibility", "version", "updated_at"])
    transaction.on_commit(lambda: public_version_forget(current.slug))
    audit_change(
        current,
        AuditAction.UPDATE,
        actor=actor,
        before=before,
        after=current.audit_snapshot(),
        reason=reason,
    )
    return current
