"""Sign-in (with the way it was made), sign-out, failed sign-in and lock-out land in the
audit log too."""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from audit.models import AuditAction, ObjectType
from audit.services import audit_append


def sign_in_methods(request, user) -> list[str]:
    """How ``user`` proved who they are in this sign-in, as allauth recorded it in the
    session: "password", "mfa:totp", "mfa:recovery_codes", "mfa:webauthn",
    "socialaccount:<provider>", "code"... (none for a session made without allauth, e.g. a test's
    force_login)."""
    session = getattr(request, "session", None)
    if session is None:
        return []
    methods = []
    for record in get_authentication_records(request, user):
        method = str(record.get("method", ""))
        detail = record.get("type") or record.get("provider") or ""
        methods.append(f"{method}:{detail}" if detail else method)
    return methods


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    methods = sign_in_methods(request, user)
    with transaction.atomic():
        audit_append(
            action=AuditAction.SIGN_IN,
            object_type=ObjectType.USER,
            object_id=user.pk,
            object_label=user.get_username(),
            after={"methods": methods} if methods else None,
            actor=user,
        )


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    with transaction.atomic():
        audit_append(
            action=AuditAction.SIGN_OUT,
            object_type=ObjectType.USER,
            object_id=user.pk,
            object_label=user.get_username(),
            actor=user,
        )


@receiver(user_login_failed, dispatch_uid="audit_failed_sign_in")
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        audit_append(
            action=AuditAction.FAILED_SIGN_IN,
            object_type=ObjectType.USER,
            object_label=username,
            actor_label=f"anonymous ({username})" if username else "anonymous",
        )


@receiver(user_locked_out, dispatch_uid="audit_lock_out")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    username = str(username or "")[:150]
    with transaction.atomic():
        audit_append(
            action=AuditAction.LOCK_OUT,
            object_type=ObjectType.USER,
            object_label=username,
            actor_label=f"anonymous ({username})" if username else "anonymous",
            reason=f"Too many failed sign-ins for {username!r} from {ip_address}.",
        )
