"""The hash chain: each append is keyed, linked to the one before, and serialised by the head."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from audit.chain import record_hash, values_of
from audit.models import AuditAction, AuditChainHead, AuditRecord, ObjectType
from audit.services import AuditOutsideTransaction, audit_append
from audit.verify import verify_chain

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def append(reason: str = "Testing the chain.") -> AuditRecord:
    with transaction.atomic():
        return audit_append(
            action=AuditAction.UPDATE, object_type=ObjectType.OFFERING, object_id=1, reason=reason
        )


def execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def log() -> list[tuple]:
    return list(AuditRecord.objects.order_by("seq").values_list("seq", "reason", "hash"))


def test_an_appended_record_verifies_with_the_key_and_links_to_the_previous_one(db):
    previous = AuditRecord.objects.order_by("-seq").first()
    stored = AuditRecord.objects.get(pk=append().pk)
    assert stored.seq == previous.seq + 1
    assert stored.prev_hash == previous.hash
    assert stored.hash == record_hash(values_of(stored))


def test_audit_append_outside_a_transaction_refuses_and_writes_nothing():
    # No django_db mark: had it touched the database, pytest-django would have
    # raised its own error instead of AuditOutsideTransaction.
    with pytest.raises(AuditOutsideTransaction):
        audit_append(action=AuditAction.UPDATE, object_type=ObjectType.OFFERING, object_id=1)


def test_two_appends_in_one_transaction_get_consecutive_seqs(db):
    with transaction.atomic():
        first = audit_append(
            action=AuditAction.UPDATE, object_type=ObjectType.OFFERING, object_id=1
        )
        second = audit_append(
            action=AuditAction.UPDATE, object_type=ObjectType.OFFERING, object_id=2
        )
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash


def test_the_head_follows_the_last_record(db):
    record = append()
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (record.seq, record.hash)
    assert AuditRecord.objects.order_by("-seq").values_list("seq", flat=True)[0] == head.seq


def test_the_chain_fails_verification_under_another_key(db, settings):
    assert verify_chain().ok
    settings.AUDIT_HMAC_KEY = "not-the-key-the-chain-was-written-with"
    result = verify_chain()
    assert not result.ok
    assert (result.seq, result.checked) == (1, 0)


@postgres_only
def test_the_database_refuses_to_update_an_audit_record(db):
    before = log()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("UPDATE audit_auditrecord SET reason = 'x'")
    assert log() == before


@postgres_only
def test_the_database_refuses_to_delete_an_audit_record(db):
    before = log()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("DELETE FROM audit_auditrecord WHERE seq = 1")
    assert log() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("object_type", "celll"),
        ("object_type", "cell"),
        ("action", "updated"),
        ("action", "update"),
    ],
)
def test_it_refuses_an_object_type_or_action_that_is_not_a_member_of_its_enumeration(field, value):
    fields = {"action": AuditAction.UPDATE, "object_type": ObjectType.CELL, field: value}
    before = AuditRecord.objects.count()
    with transaction.atomic(), pytest.raises(TypeError, match=field):
        audit_append(object_id=1, **fields)
    assert AuditRecord.objects.count() == before
