"""Starting a new provider in one step: empty, from a template, or from a long-format file.

Everything happens in one transaction through the existing services, so each
object created is audited with one shared reason and a failure anywhere (a
taken slug, a bad file) writes nothing.

Who may: site administrators only, the same rule as ``provider_create``; the
portal has no separate "creator" role. The creator is made the new provider's
admin through ``role_set`` with themselves as the actor: its permission check
(may manage access) passes because superusers may do everything, and the grant
is recorded under their name. If creation is ever opened to others, that grant
is the bootstrap to revisit, since nobody holds a role on a provider that did
not exist a moment ago.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from accounts.access import require
from accounts.roles import Action, Role
from accounts.services import role_set
from matrices.exchange.longformat import ParsedMatrix
from matrices.models import Provider
from matrices.selectors.structure import template_snapshot
from matrices.services.draft_sync import MatrixTarget, draft_sync
from matrices.services.providers import provider_create


@transaction.atomic
def provider_create_from(
    *,
    actor,
    name: str,
    slug: str,
    website: str = "",
    summary: str = "",
    visibility: str,
    template: Provider | None = None,
    parsed: ParsedMatrix | None = None,
    reason: str = "",
) -> Provider:
    """Create a provider whose draft starts as ``template``'s matrix, as ``parsed``, or empty.

    The creator (``actor``; None is the system) becomes its provider admin.
    Nothing is published: the provider is not public until a version is.
    Raises ``PermissionDenied`` for actors who may not create providers (or
    may not see the template) and ``ValidationError`` for bad input (a taken or
    reserved slug, a provider that is not a template, both a template and a
    file; what the matrix itself refuses comes under the key ``template`` or
    ``parsed``); nothing is written either way.
    """
    if template is not None and parsed is not None:
        raise ValidationError("Start from a template or from a file, not both.")
    if template is not None:
        require(actor, template, Action.VIEW)
        if not template.is_template:
            raise ValidationError({"template": f"{template.name} is not a template."})
    if not reason.strip():
        if template is not None:
            reason = f"New provider, started from the template “{template.name}”."
        elif parsed is not None:
            reason = "New provider, started from an imported file."
        else:
            reason = "New provider, with an empty matrix."
    provider = provider_create(
        actor=actor,
        name=name,
        slug=slug,
        website=website,
        summary=summary,
        visibility=visibility,
        reason=reason,
    )
    if actor is not None:
        role_set(actor=actor, provider=provider, principal=actor, role=Role.ADMIN, reason=reason)
    # The matrix's own errors are keyed by where it came from, so that a
    # domain's "name" is never mistaken for the provider's.
    if template is not None:
        with _errors_under("template"):
            target = MatrixTarget.from_snapshot(template_snapshot(actor, template))
            draft_sync(actor=actor, provider=provider, target=target, reason=reason)
    elif parsed is not None:
        with _errors_under("parsed"):
            target = MatrixTarget.from_parsed(parsed)
            draft_sync(actor=actor, provider=provider, target=target, reason=reason)
    return provider


@contextmanager
def _errors_under(key: str) -> Iterator[None]:
    """Re-raise a ValidationError as a list of messages under ``key``."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            messages = [
                message if field == NON_FIELD_ERRORS else f"{field}: {message}"
                for field, field_messages in error.message_dict.items()
                for message in field_messages
            ]
        else:
            messages = error.messages
        raise ValidationError({key: messages}) from error
