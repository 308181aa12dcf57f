"""Ending someone's sessions, audited: from their sessions page or by a site administrator.

allauth.usersessions keeps one ``UserSession`` row per signed-in browser;
ending one deletes the row and its Django session, so that browser is signed
out on its next request. Sessions that predate the row (none since allauth
came in) still end for a deactivated user: Django refuses inactive users on
every request.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from allauth.usersessions.models import UserSession
from django.db import transaction

from audit.models import AuditAction, ObjectType
from audit.services import audit_append


def _audit_ended(user, ended: int, *, reason: str, actor) -> None:
    remaining = UserSession.objects.filter(user_id=user.pk).count()
    audit_append(
        action=AuditAction.END_SESSIONS,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=user.get_username(),
        before={"sessions": remaining + ended},
        after={"sessions": remaining},
        reason=reason,
        actor=actor,
    )


def end_every_session(user) -> int:
    """End every session of ``user``; returns how many. The caller audits (it knows why)."""
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    return len(sessions)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """The sessions page's "sign out everywhere else" is recorded in the audit log."""

    def end_sessions(self, sessions: Iterable[UserSession]) -> None:
        sessions = list(sessions)
        if not sessions:
            return
        user = sessions[0].user
        with transaction.atomic():
            super().end_sessions(sessions)
            _audit_ended(user, len(sessions), reason="Signed out their other sessions.", actor=user)
