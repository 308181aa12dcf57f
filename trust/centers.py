"""A provider's trust-center settings: whether outsiders see the page and may ask for
access, the introduction, how long access lasts by default, and which email domains are
approved at once."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.access import require
from accounts.roles import Action
from audit.models import AuditAction
from matrices.models import Provider
from matrices.richtext import clean_markdown
from matrices.services.auditing import audit_change
from trust.models import TrustCenter

# A DNS name of at least two labels (example.com), letters, digits and hyphens.
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})+$")
INTRODUCTION_MAX = 10_000


def trust_center_of(provider: Provider) -> TrustCenter:
    """The provider's trust center, or an unsaved disabled one with the default settings."""
    found = TrustCenter.objects.filter(provider=provider).first()
    return found or TrustCenter(provider=provider, default_days=settings.TRUST_DEFAULT_DAYS)


def domains_clean(domains: Iterable[str]) -> list[str]:
    """The domains in lower case, without blanks, a leading "@" or repeats; ValidationError
    naming each one that is not a domain name."""
    cleaned, wrong = [], []
    for raw in domains:
        domain = (raw or "").strip().lower().removeprefix("@").rstrip(".")
        if not domain:
            continue
        if len(domain) > 253 or not _DOMAIN.match(domain):
            wrong.append(raw.strip())
        elif domain not in cleaned:
            cleaned.append(domain)
    if wrong:
        raise ValidationError(
            {"auto_approve_domains": f"Not a domain name: {', '.join(wrong)} (e.g. example.com)."}
        )
    return cleaned


def days_check(days: int) -> None:
    if not 1 <= days <= settings.TRUST_MAX_DAYS:
        raise ValidationError({"default_days": f"Between 1 and {settings.TRUST_MAX_DAYS} days."})


@transaction.atomic
def trust_center_update(
    *,
    actor,
    provider: Provider,
    enabled: bool | None = None,
    introduction: str | None = None,
    default_days: int | None = None,
    auto_approve_domains: Iterable[str] | None = None,
    reason: str = "",
) -> TrustCenter:
    """Change the provider's trust-center settings (what is None stays); made on first use.

    The introduction is Markdown with any raw HTML removed; the domains are checked and
    lower-cased. Audited with the settings before and after.
    """
    require(actor, provider, Action.MANAGE_TRUST)
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    center = TrustCenter.objects.filter(provider=provider).first()
    creating = center is None
    if creating:
        center = trust_center_of(provider)
    before = None if creating else center.audit_snapshot()
    if enabled is not None:
        center.enabled = enabled
    if introduction is not None:
        if len(introduction) > INTRODUCTION_MAX:
            raise ValidationError({"introduction": f"At most {INTRODUCTION_MAX} characters."})
        center.introduction = clean_markdown(introduction)
    if default_days is not None:
        days_check(default_days)
        center.default_days = default_days
    if auto_approve_domains is not None:
        center.auto_approve_domains = domains_clean(auto_approve_domains)
    center.full_clean()
    center.save()
    after = center.audit_snapshot()
    if before == after:
        return center  # nothing changed: no record
    audit_change(
        center,
        AuditAction.CREATE if creating else AuditAction.UPDATE,
        actor=actor,
        before=before,
        after=after,
        reason=reason,
    )
    return center


def trust_audit_subject(provider: Provider) -> TrustCenter | Provider:
    """What the audit log records a write of the trust center's own data on (exports,
    retention): the provider's trust center, or the provider where it has none yet."""
    return TrustCenter.objects.filter(provider=provider).first() or provider


def trust_export_audit(*, actor, provider: Provider, what: str, after: dict) -> None:
    """Record that ``actor`` exported ``what`` of ``provider``'s trust center (exports name
    people), on its trust center (or on the provider where it has none yet). Inside the
    caller's transaction."""
    audit_change(
        trust_audit_subject(provider),
        AuditAction.DOWNLOAD,
        actor=actor,
        label=f"{what} of {provider.name} (CSV)",
        after=after,
    )
