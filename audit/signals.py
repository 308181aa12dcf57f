"""Sign-in, sign-out, failed sign-in and lock-out land in the audit log too."""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from audit.models import AuditAction, ObjectType
from audit.services import audit_append


def sign_in_method(request, user) -> dict | None:
    """How ``user`` proved who they are, from allauth's record of this session's steps:
    {"method": "sso", "provider": <provider id>} for single sign-on, {"method": "password"}
    and so on; None when allauth recorded nothing (a sign-in by the Django admin or a test)."""
    if request is None or not hasattr(request, "session"):
        return None
    for record in reversed(get_authentication_records(request, user)):
        if record.get("method") == "socialaccount":
            return {"method": "sso", "provider": record.get("provider", "")}
        if record.get("method") == "mfa" and record.get("passwordless"):
            return {"method": "passkey"}
        if record.get("method") != "mfa":  # a second factor follows the first step
            return {"method": record.get("method", "")}
    return None


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    with transaction.atomic():
        audit_append(
            action=AuditAction.SIGN_IN,
            object_type=ObjectType.USER,
            object_id=user.pk,
            object_label=user.get_username(),
            after=sign_in_method(request, user),
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
