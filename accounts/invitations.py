"""Invitations: a provider admin invites an email address to a role; the invitee accepts.

The writes (create, resend, revoke, accept, and the new account an invitee
makes) are audited in their own transaction. The raw token exists only in
the emailed link: the database and the audit log keep its SHA-256 digest,
so neither can hand the link out again. A resend issues a new token (the old
link is dead) and a new expiry. The role itself is granted through
``role_set``, with the inviter's authority: an invitation from someone who no
longer manages access to the provider can no longer be accepted.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from datetime import datetime, timedelta
from urllib.parse import urljoin

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import can, require
from accounts.models import Invitation, ProviderUserRole
from accounts.roles import Action, GuardedProvider, Role
from accounts.selectors import principal_roles
from accounts.services import role_set
from accounts.user_log import audited_by_caller
from audit.models import AuditAction, ObjectType
from audit.services import audit_append

logger = logging.getLogger(__name__)

SESSION_KEY = "invitation_digest"  # the invitation a visitor opened, for single sign-on


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.INVITATION_DAYS)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


# Reads ---------------------------------------------------------------------------------


def invitations_open(provider: GuardedProvider):
    """The provider's invitations neither accepted nor revoked (expired ones included)."""
    return Invitation.objects.filter(
        provider=provider, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation whose link carries ``token``, or None (unknown, or replaced by a resend)."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("provider", "invited_by", "accepted_by")
        .filter(digest=_digest(token))
        .first()
    )


def invitation_refusal(invitation: Invitation) -> str:
    """Why the invitation's link can no longer be used, in words for the invitee; "" if it can."""
    provider = invitation.provider.name
    if invitation.accepted_at is not None:
        when = date_format(timezone.localtime(invitation.accepted_at), "j F Y")
        return f"This invitation to {provider} was already accepted on {when}: sign in instead."
    if invitation.revoked_at is not None:
        return (
            f"This invitation to {provider} was withdrawn by its administrators. "
            "If you still need access, ask them for a new one."
        )
    if invitation.is_expired:
        when = date_format(timezone.localtime(invitation.expires_at), "j F Y")
        who = (
            invitation.invited_by.get_username() if invitation.invited_by else "its administrators"
        )
        return f"This invitation to {provider} expired on {when}. Ask {who} to send it again."
    inviter = invitation.invited_by
    if inviter is not None and not can(inviter, invitation.provider, Action.MANAGE_ACCESS):
        return (
            f"The person who sent this invitation no longer manages access to {provider}, "
            "so it can no longer be used. Ask one of its administrators for a new one."
        )
    return ""


def address_owner(email: str):
    """The account that has ``email`` as one of its addresses, or None."""
    email = normalize_email(email)
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return get_user_model().objects.filter(email__iexact=email).first()


def verified_owner(email: str):
    """The account that proved ``email`` is theirs (a verified address), or None."""
    address = (
        EmailAddress.objects.filter(email__iexact=normalize_email(email), verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address is not None else None


def has_address(user, email: str, *, verified: bool = False) -> bool:
    """Whether ``email`` is one of ``user``'s addresses (a verified one, if ``verified``)."""
    addresses = EmailAddress.objects.filter(user=user, email__iexact=normalize_email(email))
    if verified:
        return addresses.filter(verified=True).exists()
    return addresses.exists() or normalize_email(user.email) == normalize_email(email)


def _role_holder(provider: GuardedProvider, email: str):
    """A user with the address ``email`` who holds a role on ``provider`` directly, or None."""
    User = get_user_model()
    owners = User.objects.filter(
        Q(email__iexact=email) | Q(emailaddress__email__iexact=email)
    ).distinct()
    grant = (
        ProviderUserRole.objects.filter(content_object=provider, user__in=owners)
        .select_related("user")
        .first()
    )
    return grant.user if grant else None


# Email ---------------------------------------------------------------------------------


def invitation_link(base_url: str, token: str) -> str:
    """The absolute link of the email, from the site's base URL (the request's)."""
    return urljoin(base_url, reverse("accounts:invitation", args=[token]))


def _send_on_commit(invitation: Invitation, link: str) -> None:
    """Email the link once the transaction commits (never for a write rolled back)."""
    context = {
        "invitation": invitation,
        "provider": invitation.provider,
        "role": Role(invitation.role),
        "inviter": invitation.invited_by,
        "link": link,
        "days": settings.INVITATION_DAYS,
    }
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(
        render_to_string("accounts/email/invitation_subject.txt", context).split()
    )
    body = render_to_string("accounts/email/invitation_message.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    pk = invitation.pk

    def send() -> None:
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            # The link is a secret: the log names the invitation, never the message.
            logger.warning(
                "Invitation %s could not be emailed (%s); resend it from the Access page.",
                pk,
                type(exc).__name__,
            )

    transaction.on_commit(send)


# Writes --------------------------------------------------------------------------------


def _locked(invitation: Invitation) -> Invitation:
    return (
        # Only the invitation's row: PostgreSQL locks no nullable side of an outer join
        # (invited_by, accepted_by).
        Invitation.objects.select_for_update(of=("self",))
        .select_related("provider", "invited_by", "accepted_by")
        .get(pk=invitation.pk)
    )


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


@transaction.atomic
def invitation_create(
    *,
    actor,
    provider: GuardedProvider,
    email: str,
    role: Role | str,
    base_url: str,
    reason: str = "",
) -> Invitation:
    """Invite ``email`` to hold ``role`` on ``provider``; the link is emailed on commit.

    Refuses (ValidationError) an invalid address or role, an address that already holds
    a role on the provider, and one with an open invitation there.
    """
    require(actor, provider, Action.MANAGE_ACCESS)
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}: use one of {Role.values}."})
    role = Role(role)
    # Serialise with role changes on this provider (role_set takes the same lock).
    type(provider).objects.select_for_update().filter(pk=provider.pk).first()
    holder = _role_holder(provider, email)
    if holder is not None:
        held = ", ".join(r.label for r in sorted(principal_roles(provider, holder)))
        raise ValidationError(
            {
                "email": f"{email} is already a member of {provider.name} "
                f"({holder.get_username()}, {held}): change their role in the table instead."
            }
        )
    pending = invitations_open(provider).filter(email=email).first()
    if pending is not None:
        state = "expired" if pending.is_expired else "pending"
        raise ValidationError(
            {
                "email": f"{email} already has a {state} invitation "
                f"({pending.get_role_display()}): resend or revoke it instead."
            }
        )
    token, digest = _new_token()
    now = timezone.now()
    invitation = Invitation(
        provider=provider,
        email=email,
        role=role,
        invited_by=actor,
        created_at=now,
        expires_at=_expiry(now),
        last_sent_at=now,
        send_count=1,
        digest=digest,
    )
    invitation.full_clean()
    invitation.save()
    _record(AuditAction.CREATE, invitation, reason=reason, actor=actor)
    _send_on_commit(invitation, invitation_link(base_url, token))
    return invitation


def _record(
    action: AuditAction, invitation: Invitation, *, before=None, reason: str = "", actor
) -> None:
    """The audit record of a change to ``invitation`` (never its token or link)."""
    audit_append(
        action=action,
        object_type=ObjectType.INVITATION,
        object_id=invitation.pk,
        object_label=str(invitation),
        provider=invitation.provider,
        before=before,
        after=invitation.audit_snapshot(),
        reason=reason,
        actor=actor,
    )


def _refuse_closed(invitation: Invitation, doing: str) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError(f"The invitation to {invitation.email} was accepted: {doing}.")
    if invitation.revoked_at is not None:
        raise ValidationError(f"The invitation to {invitation.email} was revoked: {doing}.")


@transaction.atomic
def invitation_resend(
    *, actor, invitation: Invitation, base_url: str, reason: str = ""
) -> Invitation:
    """Email a new link with a new expiry; the old link stops working."""
    require(actor, invitation.provider, Action.MANAGE_ACCESS)
    invitation = _locked(invitation)
    _refuse_closed(invitation, "nothing to resend")
    before = invitation.audit_snapshot()
    token, invitation.digest = _new_token()
    invitation.last_sent_at = timezone.now()
    invitation.expires_at = _expiry(invitation.last_sent_at)
    invitation.send_count += 1
    invitation.save(update_fields=["digest", "expires_at", "last_sent_at", "send_count"])
    _record(AuditAction.RESEND, invitation, before=before, reason=reason, actor=actor)
    _send_on_commit(invitation, invitation_link(base_url, token))
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation, reason: str = "") -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    require(actor, invitation.provider, Action.MANAGE_ACCESS)
    invitation = _locked(invitation)
    _refuse_closed(invitation, "nothing to revoke")
    before = invitation.audit_snapshot()
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _record(AuditAction.REVOKE, invitation, before=before, reason=reason, actor=actor)
    return invitation


def address_verify(user, email: str) -> None:
    """The link proved control of ``email``: a verified address of ``user`` (the primary one
    if they have none)."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=not has_primary)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not has_primary and not user.email:
        user.email = email
        user.save(update_fields=["email"])


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Invitation:
    """``user`` accepts: they hold the invited role (granted through ``role_set`` with the
    inviter's authority) and the address becomes a verified one of theirs.

    Refuses (ValidationError) a link that was used, revoked or expired, an address that
    belongs to another account, and a user who already holds a different role there.
    """
    invitation = _locked(invitation)
    refusal = invitation_refusal(invitation)
    if refusal:
        raise ValidationError(refusal)
    provider, role = invitation.provider, Role(invitation.role)
    owner = address_owner(invitation.email)
    if owner is not None and owner.pk != user.pk:
        raise ValidationError(
            f"{invitation.email} belongs to another account: sign in as that account to accept."
        )
    held = principal_roles(provider, user)
    if held and held != {role}:
        now_held = ", ".join(r.label for r in sorted(held))
        raise ValidationError(
            f"You already hold the {now_held} role on {provider.name}; the invitation was "
            "not used. Ask one of its administrators to change your role."
        )
    before = invitation.audit_snapshot()
    role_set(
        actor=invitation.invited_by,
        provider=provider,
        principal=user,
        role=role,
        reason=f"Invitation to {invitation.email} accepted by {user.get_username()}.",
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    address_verify(user, invitation.email)
    _record(AuditAction.ACCEPT, invitation, before=before, actor=user)
    return invitation


@transaction.atomic
def invitation_sign_up(*, invitation: Invitation, username: str, password: str):
    """A new account for the invitee (the link proves the address), holding the invited role.

    Refuses (ValidationError, by field) a username taken or a password the validators
    refuse, and an address that already has an account (its owner signs in instead).
    """
    refusal = invitation_refusal(invitation)
    if refusal:
        raise ValidationError(refusal)
    if address_owner(invitation.email) is not None:
        raise ValidationError(
            f"An account already uses {invitation.email}: sign in to accept the invitation."
        )
    User = get_user_model()
    username = username.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken: choose another."})
    user = User(username=username, email=invitation.email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with audited_by_caller(user):  # the record below, not another from the safety net
        user.save()
    audit_append(
        action=AuditAction.CREATE,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=username,
        after={"username": username, "email": invitation.email, "via": "invitation"},
        reason=f"Signed up through the invitation to {invitation.provider.name}.",
        actor=user,
    )
    invitation_accept(invitation=invitation, user=user)
    return user


# Single sign-on --------------------------------------------------------------------------


def invitation_remember(request: HttpRequest, invitation: Invitation) -> None:
    """Keep the opened invitation in the session, for a single sign-on that follows."""
    request.session[SESSION_KEY] = invitation.digest


def invitation_from_session(request: HttpRequest) -> Invitation | None:
    """The invitation opened in this session, while its link still works."""
    digest = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not digest:
        return None
    invitation = (
        Invitation.objects.select_related("provider", "invited_by").filter(digest=digest).first()
    )
    if invitation is None or invitation_refusal(invitation):
        return None
    return invitation


def invitation_forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def invitation_for_sso(request: HttpRequest, sociallogin) -> Invitation | None:
    """The session's invitation, if the identity provider vouches (a verified address) for
    the address it was sent to: what lets single sign-on make an account when
    SSO_SIGNUP is "invited"."""
    invitation = invitation_from_session(request)
    if invitation is None:
        return None
    verified = {
        normalize_email(address.email)
        for address in getattr(sociallogin, "email_addresses", [])
        if address.verified
    }
    return invitation if invitation.email in verified else None
