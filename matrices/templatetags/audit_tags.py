"""Template helpers of the audit log: links to an object's history, readable diffs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from audit.diffs import record_diff
from audit.models import AuditRecord, ObjectType
from matrices.models import Ownership, Provider
from matrices.templatetags.matrix_tags import ownership_badge

register = template.Library()


@register.simple_tag
def history_url(provider: Provider | str | None, object_type: str, object_id: object) -> str:
    """The log narrowed to one object: the provider's log, or the site log without a provider.

    ``{% history_url provider "cell" cell.pk %}`` on a matrix page links to the
    cell's history; ``provider`` may be a Provider or its slug.
    """
    query = urlencode({"object_type": object_type, "object_id": str(object_id)})
    if provider is None or provider == "":
        return f"{reverse('matrices:site_audit_log')}?{query}"
    slug = provider.slug if isinstance(provider, Provider) else str(provider)
    return f"{reverse('matrices:audit_log', args=[slug])}?{query}"


@register.filter
def object_type_label(object_type: str) -> str:
    return ObjectType(object_type).label if object_type in ObjectType.values else object_type


@register.inclusion_tag("audit/_diff.html")
def audit_diff(record: AuditRecord) -> dict[str, Any]:
    """The record's before/after, field by field, or ownership and duties for a cell."""
    return {"record": record, "diff": record_diff(record)}


@register.simple_tag
def audit_ownership(value: str | None) -> SafeString:
    """The ownership badge of the matrix pages; a code the vocabulary lost shows as text."""
    if value is None:
        return format_html('<span class="muted">{}</span>', "no cell")
    if value and value not in Ownership.values:
        return format_html("<code>{}</code>", value)
    return ownership_badge(value)
