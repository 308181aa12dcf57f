"""Outside readers' access requests: made on the trust-center form, confirmed through an
emailed link (which makes the reader's account), then approved or denied by the
provider's trust managers, or approved at once by a rule on the address's domain.

The raw token exists only in the emailed link: the request keeps its SHA-256 digest and
the audit log never sees either. Every write is audited in its own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.access import held_roles, require
from accounts.invitations import address_owner, address_verify, normalize_email, verified_owner
from accounts.models import ProviderGroupRole
from accounts.roles import Action, Role
from accounts.user_log import audited_by_caller
from audit.models import AuditAction, ObjectType
from audit.services import audit_append
from matrices.models import Offering, Provider
from matrices.services.auditing import audit_change
from trust.centers import trust_center_of
from trust.grants import grant_create
from trust.links import link_digest, link_token
from trust.mail import absolute, mail_on_commit
from trust.models import AccessGrant, AccessRequest, WebhookEvent
from trust.signals import trust_event_on_commit

CONFIRM_HOURS = 24
OPEN = (AccessRequest.Status.UNCONFIRMED, AccessRequest.Status.PENDING)
UNKNOWN_LINK = (
    "This confirmation link is not valid. It may have been mistyped, or replaced by a newer "
    "email: use the link of the latest message you received."
)


def confirm_path(token: str) -> str:
    return reverse("trust:confirm", args=[token])


def queue_path(provider: Provider) -> str:
    return reverse("trust:requests", args=[provider.slug])


# Making a request ----------------------------------------------------------------------


def _send_confirmation(access_request: AccessRequest, token: str, base_url: str) -> None:
    mail_on_commit(
        "access_request_confirm",
        {
            "access_request": access_request,
            "provider": access_request.provider,
            "link": absolute(base_url, confirm_path(token)),
            "hours": CONFIRM_HOURS,
        },
        access_request.email,
        about=f"access request {access_request.pk}",
    )


@transaction.atomic
def access_request_create(
    *,
    provider: Provider,
    name: str,
    email: str,
    company: str,
    purpose: str,
    ip_address: str | None = None,
    base_url: str = "",
) -> AccessRequest:
    """Ask to read ``provider``; the confirmation link is emailed on commit.

    The same address asking again while its request is open gets the link again (a new
    one: the old stops working) or, once confirmed, a note that it waits for a decision;
    no second request is made. Refuses (ValidationError) a provider whose trust center is
    not enabled.
    """
    if not trust_center_of(provider).enabled:
        raise ValidationError(f"{provider.name} does not take access requests.")
    email = normalize_email(email)
    details = {
        "name": name.strip(),
        "company": company.strip(),
        "purpose": purpose.strip(),
    }
    open_request = (
        AccessRequest.objects.select_for_update()
        .filter(provider=provider, email=email, status__in=OPEN)
        .first()
    )
    if open_request is not None and open_request.status == AccessRequest.Status.PENDING:
        mail_on_commit(
            "access_request_waiting",
            {"access_request": open_request, "provider": provider},
            email,
            about=f"access request {open_request.pk}",
        )
        return open_request
    token, digest = link_token()
    if open_request is not None:  # unconfirmed: a new link, the details as now given
        before = open_request.audit_snapshot()
        for key, value in details.items():
            setattr(open_request, key, value)
        open_request.digest, open_request.created_at = digest, timezone.now()
        open_request.ip_address = ip_address
        open_request.full_clean()
        open_request.save()
        audit_change(
            open_request,
            AuditAction.RESEND,
            actor=None,
            before=before,
            after=open_request.audit_snapshot(),
        )
        _send_confirmation(open_request, token, base_url)
        return open_request
    access_request = AccessRequest(
        provider=provider, email=email, ip_address=ip_address, digest=digest, **details
    )
    access_request.full_clean()
    access_request.save()
    audit_change(
        access_request, AuditAction.CREATE, actor=None, after=access_request.audit_snapshot()
    )
    _send_confirmation(access_request, token, base_url)
    return access_request


# Confirming the address ------------------------------------------------------------------


def access_request_for_token(token: str) -> AccessRequest | None:
    """The request whose confirmation link carries ``token``, or None."""
    if not token:
        return None
    return (
        AccessRequest.objects.select_related("provider", "user")
        .filter(digest=link_digest(token))
        .first()
    )


def access_request_refusal(access_request: AccessRequest, *, now: datetime | None = None) -> str:
    """Why the request's confirmation link no longer works, in words for the requester;
    "" if it does."""
    now = now or timezone.now()
    if access_request.status != AccessRequest.Status.UNCONFIRMED:
        return (
            "This link was already used: your address is confirmed. "
            "Sign in to see where your request stands."
        )
    if access_request.created_at <= now - timedelta(hours=CONFIRM_HOURS):
        return (
            f"This link expired {CONFIRM_HOURS} hours after it was sent. "
            f"Ask for access to {access_request.provider.name} again to get a new one."
        )
    return ""


_USERNAME_CHARS = re.compile(r"[^a-z0-9._-]+")


def username_for(email: str) -> str:
    """A free username made of the address's local part (``jane.doe``, ``jane.doe-2``...)."""
    User = get_user_model()
    base = _USERNAME_CHARS.sub("-", email.split("@")[0].lower()).strip("-.") or "reader"
    base = base[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _reader_create(access_request: AccessRequest) -> AbstractBaseUser:
    """A new account for the requester: the link proved the address; no password (they
    come back through a password reset or another access request)."""
    User = get_user_model()
    first, _, last = access_request.name.partition(" ")
    user = User(
        username=username_for(access_request.email),
        email=access_request.email,
        first_name=first[:150],
        last_name=last[:150],
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with audited_by_caller(user):
        user.save()
    EmailAddress.objects.create(user=user, email=access_request.email, verified=True, primary=True)
    audit_append(
        action=AuditAction.CREATE,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=user.username,
        after={"username": user.username, "email": user.email, "via": "access request"},
        reason=f"Made by confirming an access request to {access_request.provider.name}.",
        actor=None,
    )
    return user


def managers_of(provider: Provider) -> list[str]:
    """The addresses of the provider's admins and trust managers (directly or through a
    group), for news of a request."""
    codenames = [Role.ADMIN.codename, Role.TRUST_MANAGER.codename]
    direct = held_roles().filter(content_object=provider, permission__codename__in=codenames)
    groups = ProviderGroupRole.objects.filter(
        content_object=provider, permission__codename__in=codenames
    ).values("group")
    users = (
        get_user_model()
        .objects.filter(
            Q(pk__in=direct.values("user")) | Q(groups__in=Group.objects.filter(pk__in=groups))
        )
        .filter(is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [user.email for user in users]


@dataclass
class Confirmation:
    access_request: AccessRequest
    user: object
    new_account: bool


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


class AddressClaimed(ValidationError):
    """The address is on an account that never proved it: only that account, signed in,
    may confirm (else whoever made it would be given the requester's access)."""


def _requester_account(access_request: AccessRequest, visitor) -> tuple[object, bool]:
    """(the account the confirmed request belongs to, whether it is new).

    The link proves the address: the account that verified it is the requester's; with no
    account at all, a new one is made. An account that only claims it (unverified, or as
    its bare ``email``) could be anyone's, so it gets the request only when its holder is
    the one confirming (signed in), which verifies the address; else nothing is attached.
    """
    email = access_request.email
    owner = verified_owner(email)
    if owner is not None:
        return owner, False
    claimant = address_owner(email)
    if claimant is None:
        return _reader_create(access_request), True
    if visitor is not None and visitor.is_authenticated and visitor.pk == claimant.pk:
        address_verify(claimant, email)
        return claimant, False
    raise AddressClaimed(
        f"{email} is on an account here that has not confirmed it: sign in as that "
        "account, then open this link again."
    )


@transaction.atomic
def access_request_confirm(
    *, access_request: AccessRequest, visitor=None, base_url: str = ""
) -> Confirmation:
    """The requester followed the link: the request waits for a decision, attached to the
    account with that address (a new one if none has it), or is approved at once when the
    address's domain is one the provider approves automatically. ``visitor``: who is
    signed in while confirming (see ``_requester_account``).

    Refuses (ValidationError) a link already used or expired, and (``AddressClaimed``) an
    address that an account claims without having proved it, unless ``visitor`` is it.
    """
    access_request = _locked(access_request)
    refusal = access_request_refusal(access_request)
    if refusal:
        raise ValidationError(refusal)
    provider = access_request.provider
    user, new_account = _requester_account(access_request, visitor)
    before = access_request.audit_snapshot()
    access_request.status = AccessRequest.Status.PENDING
    access_request.confirmed_at = timezone.now()
    access_request.user = user
    access_request.full_clean()
    access_request.save(update_fields=["status", "confirmed_at", "user"])
    audit_change(
        access_request,
        AuditAction.CONFIRM,
        actor=user,
        before=before,
        after=access_request.audit_snapshot(),
    )
    trust_event_on_commit(
        provider,
        WebhookEvent.ACCESS_REQUESTED,
        {
            "provider": provider.slug,
            "id": access_request.pk,
            "name": access_request.name,
            "email": access_request.email,
            "company": access_request.company,
            "purpose": access_request.purpose,
        },
    )
    center = trust_center_of(provider)
    if _domain(access_request.email) in center.auto_approve_domains and _auto_approve(
        access_request, center.default_days, base_url
    ):
        return Confirmation(access_request, user, new_account)
    for address in managers_of(provider):
        mail_on_commit(
            "access_request_pending",
            {
                "access_request": access_request,
                "provider": provider,
                "link": absolute(base_url, queue_path(provider)),
            },
            address,
            about=f"access request {access_request.pk}",
        )
    return Confirmation(access_request, user, new_account)


def _auto_approve(access_request: AccessRequest, days: int, base_url: str) -> bool:
    """Approve by the domain rule; False (left for the managers) when it cannot be, e.g.
    the reader already holds a role there."""
    try:
        with transaction.atomic():
            _approve(
                access_request,
                actor=None,
                expires_at=timezone.now() + timedelta(days=days),
                offerings=(),
                reason=f"Approved automatically: {_domain(access_request.email)} addresses are.",
                base_url=base_url,
            )
    except ValidationError:
        return False
    return True


# Deciding ------------------------------------------------------------------------------


def _locked(access_request: AccessRequest) -> AccessRequest:
    return (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("provider", "user")
        .get(pk=access_request.pk)
    )


def _refuse_undecidable(access_request: AccessRequest) -> None:
    if access_request.status == AccessRequest.Status.UNCONFIRMED:
        raise ValidationError("This request's address is not confirmed yet: nothing to decide.")
    if access_request.status != AccessRequest.Status.PENDING:
        who = (
            access_request.decided_by.get_username() if access_request.decided_by else "the system"
        )
        raise ValidationError(
            f"This request was already {access_request.get_status_display().lower()} by {who}."
        )
    if access_request.user is None:
        raise ValidationError("The requester's account was deleted: nothing to decide.")


def _approve(
    access_request: AccessRequest,
    *,
    actor,
    expires_at: datetime,
    offerings: Iterable[Offering],
    reason: str,
    base_url: str,
) -> AccessGrant:
    before = access_request.audit_snapshot()
    grant = grant_create(
        actor=actor,
        provider=access_request.provider,
        user=access_request.user,
        expires_at=expires_at,
        offerings=offerings,
        company=access_request.company,
        request=access_request,
        reason=reason,
        base_url=base_url,
    )
    access_request.status = AccessRequest.Status.APPROVED
    access_request.decided_by, access_request.decided_at = actor, timezone.now()
    access_request.auto_approved = actor is None
    access_request.full_clean()
    access_request.save(update_fields=["status", "decided_by", "decided_at", "auto_approved"])
    audit_change(
        access_request,
        AuditAction.APPROVE,
        actor=actor,
        before=before,
        after={**access_request.audit_snapshot(), "auto_approved": access_request.auto_approved},
        reason=reason,
    )
    return grant


@transaction.atomic
def access_request_approve(
    *,
    actor,
    access_request: AccessRequest,
    expires_at: datetime,
    offerings: Iterable[Offering] = (),
    reason: str = "",
    base_url: str = "",
) -> AccessGrant:
    """Let the requester read until ``expires_at`` (to ``offerings``, or every one when
    none); they are emailed by ``grant_create``. Refuses a request already decided (two
    managers deciding at once: the second is told who decided) or not confirmed."""
    require(actor, access_request.provider, Action.MANAGE_TRUST)
    access_request = _locked(access_request)
    _refuse_undecidable(access_request)
    return _approve(
        access_request,
        actor=actor,
        expires_at=expires_at,
        offerings=offerings,
        reason=reason,
        base_url=base_url,
    )


@transaction.atomic
def access_request_deny(*, actor, access_request: AccessRequest, reason: str) -> AccessRequest:
    """Refuse the request with a reason, which the requester is emailed."""
    require(actor, access_request.provider, Action.MANAGE_TRUST)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the requester is told."})
    access_request = _locked(access_request)
    _refuse_undecidable(access_request)
    before = access_request.audit_snapshot()
    access_request.status = AccessRequest.Status.DENIED
    access_request.reason = reason
    access_request.decided_by, access_request.decided_at = actor, timezone.now()
    access_request.full_clean()
    access_request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_change(
        access_request,
        AuditAction.DENY,
        actor=actor,
        before=before,
        after=access_request.audit_snapshot(),
        reason=reason,
    )
    mail_on_commit(
        "access_denied",
        {"access_request": access_request, "provider": access_request.provider},
        access_request.email,
        about=f"access request {access_request.pk}",
    )
    return access_request
