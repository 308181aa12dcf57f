"""The safety net: no write to a user or a group escapes the audit log.

The services of ``accounts.people`` audit their own changes with a reason; this
module records whatever else changes a user's tracked fields (a shell's
``user.save()``, a management command, a library), a user's deletion, group
membership and groups themselves (groups hold provider roles). Each record
joins the transaction of the save when the caller opened one (a bare
``user.save()`` in a shell runs in autocommit: its record follows it at once).
Queryset ``update()`` sends no signal and is not seen: the portal never uses it on users.

A caller that writes its own record marks the user with ``audited_by_caller``
so the net stays silent; ``last_login`` alone never makes a record (sign-ins are
audited as such).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from accounts.models import ProviderGroupRole
from audit.models import AuditAction, ObjectType
from audit.services import audit_append

User = get_user_model()

# What the log keeps of a user: never the password hash.
TRACKED = ("username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")
_SILENT = "_audited_by_caller"
# Said on the net's records: the write came from no account service (a shell, a command,
# a library such as allauth changing the primary email address).
NET = "Written outside the account services; recorded by the safety net."


def user_snapshot(user) -> dict:
    """The audited fields of ``user``, plus whether their password is usable."""
    snapshot = {field: getattr(user, field) for field in TRACKED}
    snapshot["has_usable_password"] = user.has_usable_password()
    return snapshot


@contextmanager
def audited_by_caller(user) -> Iterator[None]:
    """Inside the block, saves of this ``user`` instance are audited by the caller."""
    setattr(user, _SILENT, True)
    try:
        yield
    finally:
        user.__dict__.pop(_SILENT, None)


def _untracked_only(update_fields) -> bool:
    return update_fields is not None and not set(update_fields) & {*TRACKED, "password"}


@receiver(pre_save, sender=User, dispatch_uid="user_log_before")
def _user_before(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or getattr(instance, _SILENT, False) or _untracked_only(update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._audit_before = (
        (user_snapshot(stored), stored.password) if stored is not None else (None, None)
    )


@receiver(post_save, sender=User, dispatch_uid="user_log_after")
def _user_after(sender, instance, created, raw=False, **kwargs) -> None:
    before, old_hash = instance.__dict__.pop("_audit_before", (None, None))
    if raw or getattr(instance, _SILENT, False):
        return
    if not created and before is None:
        return  # an update of untracked fields only (last_login)
    after = user_snapshot(instance)
    if before is not None and old_hash != instance.password:
        # The hash never goes to the log; that it changed does.
        before, after = {**before, "password": "previous"}, {**after, "password": "replaced"}
    if before == after:
        return
    with transaction.atomic():
        audit_append(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type=ObjectType.USER,
            object_id=instance.pk,
            object_label=instance.get_username(),
            before=None if created else before,
            after=after,
            reason=NET,
        )


@receiver(post_delete, sender=User, dispatch_uid="user_log_deleted")
def _user_deleted(sender, instance, **kwargs) -> None:
    with transaction.atomic():
        audit_append(
            action=AuditAction.DELETE,
            object_type=ObjectType.USER,
            object_id=instance.pk,
            object_label=instance.get_username(),
            before=user_snapshot(instance),
            reason=NET,
        )


def _group_names(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="user_log_groups")
def _membership_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """One record per user whose groups changed, from either side of the relation."""
    if action == "pre_clear":
        # What a clear takes away, read before it happens.
        instance._audit_cleared = (
            list(instance.user_set.all()) if reverse else [instance],
            list(instance.groups.all()) if not reverse else [instance],
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        users, groups = instance.__dict__.pop("_audit_cleared", ([], []))
    elif reverse:  # group.user_set.add(...): pk_set holds users
        users, groups = list(User.objects.filter(pk__in=pk_set or ())), [instance]
    else:
        users, groups = [instance], list(Group.objects.filter(pk__in=pk_set or ()))
    users = [user for user in users if not getattr(user, _SILENT, False)]
    if not users or not groups:
        return
    touched = {group.name for group in groups}
    with transaction.atomic():
        for user in users:
            now = _group_names(user)
            then = (
                sorted(set(now) - touched) if action == "post_add" else sorted(set(now) | touched)
            )
            audit_append(
                action=AuditAction.GRANT if action == "post_add" else AuditAction.REVOKE,
                object_type=ObjectType.USER,
                object_id=user.pk,
                object_label=user.get_username(),
                before={"groups": then},
                after={"groups": now},
                reason="Group membership changed.",
            )


def _group_roles(group: Group) -> list[str]:
    return sorted(
        f"{row.permission.codename.removeprefix('role_')} on {row.content_object}"
        for row in ProviderGroupRole.objects.filter(group=group).select_related(
            "permission", "content_object"
        )
    )


@receiver(pre_save, sender=Group, dispatch_uid="group_log_before")
def _group_before(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.pk:
        instance._audit_name = (
            Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


@receiver(post_save, sender=Group, dispatch_uid="group_log_after")
def _group_after(sender, instance, created, raw=False, **kwargs) -> None:
    old = instance.__dict__.pop("_audit_name", None)
    if raw or (not created and old == instance.name):
        return
    with transaction.atomic():
        audit_append(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type=ObjectType.GROUP,
            object_id=instance.pk,
            object_label=instance.name,
            before=None if created else {"name": old},
            after={"name": instance.name},
        )


@receiver(pre_delete, sender=Group, dispatch_uid="group_log_deleted")
def _group_deleted(sender, instance, **kwargs) -> None:
    # Before the delete: its members and roles are gone after it.
    with transaction.atomic():
        audit_append(
            action=AuditAction.DELETE,
            object_type=ObjectType.GROUP,
            object_id=instance.pk,
            object_label=instance.name,
            before={
                "name": instance.name,
                "members": sorted(instance.user_set.values_list("username", flat=True)),
                "roles": _group_roles(instance),
            },
        )
