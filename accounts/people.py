"""Account administration by site administrators: create, deactivate, reactivate, grant and
revoke superuser, force a password reset.

Each service checks its actor, refuses what would lock the site out (deactivating
oneself, the last active superuser), writes the user and one audit record with
the before and after of the tracked fields (never the password hash) and the
reason, in one transaction. No password ever travels: new accounts and forced
resets get allauth's password reset email, sent once the transaction commits.
"""

from __future__ import annotations

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest

from accounts.access import is_site_admin
from accounts.sessions import end_every_session
from accounts.tokens import token_revoke
from accounts.user_log import audited_by_caller, user_snapshot
from audit.models import AuditAction, ObjectType
from audit.services import audit_append

User = get_user_model()


def _require_site_admin(actor) -> None:
    """``actor=None`` is the system (a management command)."""
    if actor is not None and not is_site_admin(actor):
        raise PermissionDenied("Only site administrators administer accounts.")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the reason is kept in the audit log."})
    return reason


def _other_active_superusers(user) -> int:
    """Active superusers besides ``user``, with their rows locked so that two admins
    cannot demote each other at once and leave none."""
    rows = User.objects.select_for_update().filter(is_superuser=True, is_active=True)
    return len([pk for pk in rows.values_list("pk", flat=True) if pk != user.pk])


def _refuse_last_superuser(user, doing: str) -> None:
    if user.is_superuser and user.is_active and _other_active_superusers(user) == 0:
        raise ValidationError(
            f"{user.get_username()} is the last active superuser: {doing} would leave nobody "
            "to administer the site. Make someone else a superuser first."
        )


def _write(*, actor, user, action: AuditAction, before: dict, reason: str, extra=None) -> None:
    """Save ``user`` (the safety net stays quiet) and record the change."""
    with audited_by_caller(user):
        user.save()
    before_extra, after_extra = extra or ({}, {})
    audit_append(
        action=action,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=user.get_username(),
        before={**before, **before_extra} if before is not None else None,
        after={**user_snapshot(user), **after_extra},
        reason=reason,
        actor=actor,
    )


def _send_password_link(request: HttpRequest, email: str) -> None:
    """allauth's password reset email to ``email`` (a link to choose a password)."""
    form = ResetPasswordForm(data={"email": email})
    # allauth builds the link from the request it is handling; after the commit that may be
    # over (a task, a test), so it is handed over again.
    with request_context(request):
        if form.is_valid():
            form.save(request)


def _email_taken(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    reason: str,
    request: HttpRequest,
):
    """A new active account without a usable password; its owner gets a link to choose one."""
    _require_site_admin(actor)
    reason = _reason(reason)
    username, email = username.strip().lower(), email.strip().lower()
    errors: dict[str, str] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = f"{username!r} is taken."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter a valid email address: the link to choose a password goes there."
    else:
        if _email_taken(email):
            errors["email"] = "Another account has this email address."
    if errors:
        raise ValidationError(errors)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    _write(actor=actor, user=user, action=AuditAction.CREATE, before=None, reason=reason)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    transaction.on_commit(lambda: _send_password_link(request, email))
    return user


@transaction.atomic
def user_deactivate(*, actor, user, reason: str):
    """Nobody signs in as ``user`` any more: their sessions end, their API tokens are revoked."""
    _require_site_admin(actor)
    reason = _reason(reason)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if not user.is_active:
        raise ValidationError(f"{user.get_username()} is already inactive.")
    _refuse_last_superuser(user, "deactivating them")
    before = user_snapshot(user)
    tokens = list(user.api_tokens.filter(revoked_at__isnull=True))
    user.is_active = False
    sessions = end_every_session(user)
    _write(
        actor=actor,
        user=user,
        action=AuditAction.UPDATE,
        before=before,
        reason=reason,
        extra=(
            {"sessions": sessions, "api_tokens": sorted(t.prefix for t in tokens)},
            {"sessions": 0, "api_tokens": []},
        ),
    )
    for token in tokens:
        token_revoke(user=user, token=token, actor=actor, reason=reason)
    return user


@transaction.atomic
def user_reactivate(*, actor, user, reason: str):
    """``user`` may sign in again (their revoked tokens stay revoked)."""
    _require_site_admin(actor)
    reason = _reason(reason)
    if user.is_active:
        raise ValidationError(f"{user.get_username()} is already active.")
    before = user_snapshot(user)
    user.is_active = True
    _write(actor=actor, user=user, action=AuditAction.UPDATE, before=before, reason=reason)
    return user


@transaction.atomic
def superuser_grant(*, actor, user, reason: str):
    """``user`` administers the whole site (and may look at the read-only Django admin)."""
    _require_site_admin(actor)
    reason = _reason(reason)
    if not user.is_active:
        raise ValidationError(f"{user.get_username()} is inactive: reactivate them first.")
    if user.is_superuser:
        raise ValidationError(f"{user.get_username()} is already a superuser.")
    before = user_snapshot(user)
    user.is_superuser = user.is_staff = True
    _write(actor=actor, user=user, action=AuditAction.GRANT, before=before, reason=reason)
    return user


@transaction.atomic
def superuser_revoke(*, actor, user, reason: str):
    """``user`` is no longer a superuser (nor staff); their provider roles stay."""
    _require_site_admin(actor)
    reason = _reason(reason)
    if not user.is_superuser:
        raise ValidationError(f"{user.get_username()} is not a superuser.")
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("You cannot revoke your own superuser status: ask another superuser.")
    _refuse_last_superuser(user, "revoking their superuser status")
    before = user_snapshot(user)
    user.is_superuser = user.is_staff = False
    _write(actor=actor, user=user, action=AuditAction.REVOKE, before=before, reason=reason)
    return user


@transaction.atomic
def password_reset_force(*, actor, user, reason: str, request: HttpRequest):
    """``user``'s password stops working and their sessions end; a link to choose a new one
    goes to their email address (refused without one)."""
    _require_site_admin(actor)
    reason = _reason(reason)
    if not user.is_active:
        raise ValidationError(f"{user.get_username()} is inactive: reactivate them first.")
    if not user.email:
        raise ValidationError(
            f"{user.get_username()} has no email address to receive the link; deactivate "
            "the account instead if it must stop working now."
        )
    before = user_snapshot(user)
    user.set_unusable_password()
    sessions = end_every_session(user)
    _write(
        actor=actor,
        user=user,
        action=AuditAction.UPDATE,
        before={**before, "password": "previous"},
        reason=reason,
        extra=({"sessions": sessions}, {"password": "unusable", "sessions": 0}),
    )
    email = user.email
    transaction.on_commit(lambda: _send_password_link(request, email))
    return user
