"""Outside readers' access: given for a time, extended, revoked, ended when it expires.

A grant's effect is a viewer role whose row carries the grant's expiry and, while the
reader has not accepted the provider's current NDA, ``needs_agreement``; the access
rules (``accounts.access``) read both on every path, so an expired reader is refused at
once, before the periodic task ends the grant and removes the row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.access import forget_roles, require
from accounts.models import ProviderUserRole
from accounts.roles import Action, Role
from audit.models import AuditAction
from matrices.models import Offering, Provider
from matrices.services.auditing import audit_change
from trust.mail import absolute, mail_on_commit
from trust.models import AccessGrant, WebhookEvent
from trust.nda import nda_pending
from trust.signals import trust_event_on_commit

VIEWER = f"matrices.{Role.VIEWER.codename}"


def grant_expiry_check(expires_at: datetime, *, now: datetime | None = None) -> None:
    """Refuse an expiry in the past or further than ``TRUST_MAX_DAYS`` away."""
    now = now or timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": "Choose a time in the future."})
    if expires_at > now + timedelta(days=settings.TRUST_MAX_DAYS):
        raise ValidationError(
            {"expires_at": f"Access is given for at most {settings.TRUST_MAX_DAYS} days."}
        )


def _role_row(grant: AccessGrant) -> ProviderUserRole | None:
    return ProviderUserRole.objects.filter(
        content_object=grant.provider, user=grant.user, permission__codename=Role.VIEWER.codename
    ).first()


def grant_role_sync(grant: AccessGrant) -> None:
    """Make the reader's viewer role say what the grant and the NDA say."""
    row = _role_row(grant)
    if row is None:
        assign_perm(VIEWER, grant.user, grant.provider)
        row = _role_row(grant)
    row.expires_at = grant.expires_at
    row.needs_agreement = nda_pending(grant.provider, grant.user)
    row.offerings = sorted(o.pk for o in grant.offerings.all()) or None
    row.save(update_fields=["expires_at", "needs_agreement", "offerings"])
    forget_roles(grant.user)


def _payload(grant: AccessGrant) -> dict:
    return {
        "provider": grant.provider.slug,
        "reader": grant.user.email or grant.user.get_username(),
        "company": grant.company,
        "expires_at": grant.expires_at.isoformat(),
        "offerings": sorted(o.slug for o in grant.offerings.all()),
    }


@transaction.atomic
def grant_create(
    *,
    actor,
    provider: Provider,
    user,
    expires_at: datetime,
    offerings: Iterable[Offering] = (),
    company: str = "",
    request=None,
    reason: str = "",
    base_url: str = "",
) -> AccessGrant:
    """Give ``user`` read access to ``provider`` until ``expires_at`` (to ``offerings``,
    or all of them when none are listed), and tell them by email.

    ``actor=None`` is the system (an auto-approval rule). Refuses a reader who already
    has live access (extend it instead) or who holds a role of their own there.
    """
    require(actor, provider, Action.MANAGE_TRUST)
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    grant_expiry_check(expires_at)
    offerings = list(offerings)
    if any(offering.provider_id != provider.pk for offering in offerings):
        raise ValidationError({"offerings": "Choose offerings of this provider."})
    live = AccessGrant.objects.filter(provider=provider, user=user, ended_at__isnull=True)
    if live.exists():
        raise ValidationError(f"{user.email or user} can already read {provider.name}: extend it.")
    held = ProviderUserRole.objects.filter(content_object=provider, user=user)
    if held.exclude(expires_at__isnull=False).exists():
        raise ValidationError(f"{user.email or user} already holds a role on {provider.name}.")
    grant = AccessGrant(
        provider=provider,
        user=user,
        request=request,
        company=company,
        granted_by=actor,
        expires_at=expires_at,
    )
    grant.full_clean()
    grant.save()
    grant.offerings.set(offerings)
    grant_role_sync(grant)
    audit_change(grant, AuditAction.GRANT, actor=actor, after=grant.audit_snapshot(), reason=reason)
    mail_on_commit(
        "access_granted",
        {
            "grant": grant,
            "provider": provider,
            "link": absolute(base_url, reverse("trust:page", args=[provider.slug])),
        },
        user.email,
        about=f"grant {grant.pk}",
    )
    trust_event_on_commit(provider, WebhookEvent.ACCESS_GRANTED, _payload(grant))
    return grant


def _locked(grant: AccessGrant) -> AccessGrant:
    grant = (
        AccessGrant.objects.select_for_update(of=("self",))
        .select_related("provider", "user")
        .get(pk=grant.pk)
    )
    if grant.ended_at is not None:
        raise ValidationError("This access has already ended.")
    return grant


@transaction.atomic
def grant_extend(
    *, actor, grant: AccessGrant, expires_at: datetime, reason: str = ""
) -> AccessGrant:
    """Move a live grant's end to ``expires_at`` (later or sooner, at most a year away)."""
    require(actor, grant.provider, Action.MANAGE_TRUST)
    grant = _locked(grant)
    grant_expiry_check(expires_at)
    before = grant.audit_snapshot()
    grant.expires_at, grant.reminded_at = expires_at, None
    grant.full_clean()
    grant.save(update_fields=["expires_at", "reminded_at"])
    grant_role_sync(grant)
    audit_change(
        grant,
        AuditAction.EXTEND,
        actor=actor,
        before=before,
        after=grant.audit_snapshot(),
        reason=reason,
    )
    return grant


def _end(grant: AccessGrant, *, actor, action: AuditAction, reason: str) -> AccessGrant:
    before = grant.audit_snapshot()
    grant.ended_at, grant.ended_by, grant.end_reason = timezone.now(), actor, reason
    grant.full_clean()
    grant.save(update_fields=["ended_at", "ended_by", "end_reason"])
    row = _role_row(grant)
    if row is not None and row.expires_at is not None:  # never a role held in its own right
        remove_perm(VIEWER, grant.user, grant.provider)
    forget_roles(grant.user)
    audit_change(
        grant, action, actor=actor, before=before, after=grant.audit_snapshot(), reason=reason
    )
    trust_event_on_commit(grant.provider, WebhookEvent.ACCESS_ENDED, _payload(grant))
    return grant


@transaction.atomic
def grant_revoke(*, actor, grant: AccessGrant, reason: str) -> AccessGrant:
    """End a live grant now, with a reason (kept in the audit log)."""
    require(actor, grant.provider, Action.MANAGE_TRUST)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the access ends: the audit log keeps it."})
    return _end(_locked(grant), actor=actor, action=AuditAction.REVOKE, reason=reason.strip())


def grants_expire(*, now: datetime | None = None) -> int:
    """End every live grant past its expiry (the periodic task); each is audited."""
    now = now or timezone.now()
    ended = 0
    due = AccessGrant.objects.filter(ended_at__isnull=True, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            try:
                grant = _locked(AccessGrant(pk=pk))
            except ValidationError:
                continue  # ended meanwhile
            if grant.expires_at > now:
                continue  # extended meanwhile
            _end(grant, actor=None, action=AuditAction.EXPIRE, reason="its time ran out")
            ended += 1
    return ended


def grants_remind(*, now: datetime | None = None) -> int:
    """Email each reader whose access ends within ``TRUST_REMIND_DAYS``, once per expiry."""
    now = now or timezone.now()
    soon = now + timedelta(days=settings.TRUST_REMIND_DAYS)
    due = AccessGrant.objects.filter(
        ended_at__isnull=True, reminded_at__isnull=True, expires_at__gt=now, expires_at__lte=soon
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            try:
                grant = _locked(AccessGrant(pk=pk))
            except ValidationError:
                continue
            if grant.reminded_at is not None:
                continue
            grant.reminded_at = now
            grant.full_clean()
            grant.save(update_fields=["reminded_at"])
            audit_change(
                grant,
                AuditAction.REMIND,
                actor=None,
                after={"expires_at": grant.expires_at.isoformat()},
            )
            mail_on_commit(
                "access_ending",
                {
                    "grant": grant,
                    "provider": grant.provider,
                    "link": absolute("", reverse("trust:page", args=[grant.provider.slug])),
                },
                grant.user.email,
                about=f"grant {grant.pk}",
            )
            sent += 1
    return sent
