"""What people do to their own accounts through allauth's pages lands in the audit log.

allauth announces each change with a signal once it is made: passwords
(changed, set, reset from an emailed link), email addresses (added, removed,
made primary, confirmed), second factors (added, removed, recovery codes
regenerated, a wrong code at sign-in) and single sign-on connections. The
password flows write the user row through ``AccountAdapter.set_password``,
which keeps the safety net (``accounts.user_log``) quiet so each change is
recorded once, by name. MFA signals arrive after allauth's own commit, so
their records follow in a transaction of their own.
"""

from __future__ import annotations

from allauth.account import signals as account
from allauth.mfa import signals as mfa
from django.db import transaction
from django.dispatch import receiver

from audit.models import AuditAction, ObjectType
from audit.services import audit_append


def _record(**fields) -> None:
    with transaction.atomic():
        audit_append(**fields)


def _password(user, reason: str) -> None:
    _record(
        action=AuditAction.UPDATE,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=user.get_username(),
        before={"password": "previous"},
        after={"password": "replaced"},
        reason=reason,
        actor=user,
    )


@receiver(account.password_changed, dispatch_uid="audit_password_changed")
def _password_changed(sender, request, user, **kwargs) -> None:
    _password(user, "Changed their password.")


@receiver(account.password_set, dispatch_uid="audit_password_set")
def _password_set(sender, request, user, **kwargs) -> None:
    _password(user, "Set a password.")


@receiver(account.password_reset, dispatch_uid="audit_password_reset")
def _password_reset(sender, request, user, **kwargs) -> None:
    _password(user, "Chose a new password from an emailed reset link.")


def _address(email_address) -> dict:
    return {
        "email": email_address.email,
        "primary": email_address.primary,
        "verified": email_address.verified,
    }


def _email_record(action: AuditAction, user, email_address, *, before=None, after=None) -> None:
    _record(
        action=action,
        object_type=ObjectType.EMAIL_ADDRESS,
        object_id=email_address.pk or "",
        object_label=f"{email_address.email} of {user.get_username()}",
        before=before,
        after=after,
        actor=user,
    )


@receiver(account.email_added, dispatch_uid="audit_email_added")
def _email_added(sender, request, user, email_address, **kwargs) -> None:
    _email_record(AuditAction.CREATE, user, email_address, after=_address(email_address))


@receiver(account.email_removed, dispatch_uid="audit_email_removed")
def _email_removed(sender, request, user, email_address, **kwargs) -> None:
    _email_record(AuditAction.DELETE, user, email_address, before=_address(email_address))


@receiver(account.email_confirmed, dispatch_uid="audit_email_confirmed")
def _email_confirmed(sender, request, email_address, **kwargs) -> None:
    _email_record(
        AuditAction.UPDATE,
        email_address.user,
        email_address,
        before={"verified": False},
        after={"verified": True},
    )


@receiver(account.email_changed, dispatch_uid="audit_email_changed")
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs) -> None:
    _email_record(
        AuditAction.UPDATE,
        user,
        to_email_address,
        before={"primary": from_email_address.email if from_email_address else None},
        after={"primary": to_email_address.email},
    )


def _authenticator(action: AuditAction, user, authenticator, *, reason: str = "") -> None:
    kind = {"type": authenticator.type}
    _record(
        action=action,
        object_type=ObjectType.AUTHENTICATOR,
        object_id=authenticator.pk or "",
        object_label=f"{authenticator.get_type_display()} of {user.get_username()}",
        before=kind if action != AuditAction.CREATE else None,
        after=kind if action != AuditAction.DELETE else None,
        reason=reason,
        actor=user,
    )


@receiver(mfa.authenticator_added, dispatch_uid="audit_authenticator_added")
def _authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    _authenticator(AuditAction.CREATE, user, authenticator)


@receiver(mfa.authenticator_removed, dispatch_uid="audit_authenticator_removed")
def _authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    _authenticator(AuditAction.DELETE, user, authenticator)


@receiver(mfa.authenticator_reset, dispatch_uid="audit_authenticator_reset")
def _authenticator_reset(sender, request, user, authenticator, **kwargs) -> None:
    _authenticator(AuditAction.UPDATE, user, authenticator, reason="New codes; the old ones end.")


@receiver(mfa.authentication_failed, dispatch_uid="audit_mfa_failed")
def _second_factor_failed(sender, request, user, authenticator, **kwargs) -> None:
    _record(
        action=AuditAction.FAILED_SIGN_IN,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=user.get_username(),
        actor_label=f"anonymous ({user.get_username()})",
        reason=f"Wrong code for {authenticator.get_type_display()}.",
    )


# Single sign-on accounts connected and disconnected: accounts.signals (with the
# identities before and after).
