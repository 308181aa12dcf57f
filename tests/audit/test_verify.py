"""verify_audit finds records altered, removed or inserted outside the application."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from audit.chain import canonical, record_hash, values_of
from audit.models import AuditChainHead, AuditRecord
from audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def tamper(sql: str, params: tuple = ()) -> None:
    """Run ``sql`` as someone with direct access to the database.

    On PostgreSQL that someone must first disable the append-only trigger; the
    test's transaction rolls that back with everything else.
    """
    guarded = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if guarded:
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_record_append_only")
        try:
            cursor.execute(sql, params)
        finally:
            if guarded:
                cursor.execute(
                    "ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_record_append_only"
                )


def newest() -> AuditRecord:
    return AuditRecord.objects.order_by("-seq").first()


def middle_seq() -> int:
    return newest().seq // 2


def forge(digest, *, move_head: bool = False) -> AuditRecord:
    """Append a record after the newest one, hashed with ``digest``, as an intruder would."""
    last = newest()
    values = values_of(last) | {
        "seq": last.seq + 1,
        "prev_hash": last.hash,
        "created_at": timezone.now(),
        "reason": "Nothing to see here.",
    }
    record = AuditRecord.objects.create(**values, hash=digest(values))
    if move_head:
        AuditChainHead.objects.update(seq=record.seq, hash=record.hash)
    return record


def with_key(key: str):
    def digest(values: dict) -> str:
        with override_settings(AUDIT_HMAC_KEY=key):
            return record_hash(values)

    return digest


def plain_sha256(values: dict) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def assert_broken(kind: str, seq: int) -> None:
    result = verify_chain()
    assert (result.ok, result.kind, result.seq) == (False, kind, seq)
    assert f"#{seq}" in result.message
    with pytest.raises(CommandError, match=f"{kind} at #{seq}") as error:
        call_command("verify_audit")
    assert error.value.returncode == 1


def test_it_passes_on_the_demo_log():
    last = newest()
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().strip() == (
        f"Audit chain intact: {AuditRecord.objects.count()} records verified, "
        f"last #{last.seq} (hash {last.hash[:8]}…)"
    )


def test_it_verifies_across_chunk_boundaries():
    result = verify_chain(chunk_size=7)
    assert (result.ok, result.checked, result.last_seq) == (True, newest().seq, newest().seq)


def test_it_passes_on_an_empty_log():
    tamper("DELETE FROM audit_auditrecord")
    AuditChainHead.objects.all().delete()
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit chain intact: the log is empty." in out.getvalue()


def test_it_catches_an_altered_record():
    seq = middle_seq()
    tamper("UPDATE audit_auditrecord SET reason = %s WHERE seq = %s", ("Nothing happened.", seq))
    assert_broken("altered", seq)


def test_it_catches_an_altered_newest_record():
    seq = newest().seq
    tamper("UPDATE audit_auditrecord SET actor_label = %s WHERE seq = %s", ("someone-else", seq))
    assert_broken("altered", seq)


def test_it_catches_a_record_removed_from_the_middle_at_the_next_one():
    seq = middle_seq()
    tamper("DELETE FROM audit_auditrecord WHERE seq = %s", (seq,))
    assert_broken("removed", seq + 1)


def test_it_catches_the_newest_record_removed_as_a_head_mismatch():
    seq = newest().seq
    tamper("DELETE FROM audit_auditrecord WHERE seq = %s", (seq,))
    assert_broken("head-mismatch", seq)


def test_it_catches_the_head_moved_back_over_the_newest_record():
    before_last = AuditRecord.objects.order_by("-seq")[1]
    AuditChainHead.objects.update(seq=before_last.seq, hash=before_last.hash)
    assert_broken("head-mismatch", newest().seq)


def test_it_catches_a_head_holding_another_hash():
    AuditChainHead.objects.update(hash="0" * 64)
    assert_broken("head-mismatch", newest().seq)


def test_it_catches_a_record_replaced_even_by_one_written_with_the_key():
    original = AuditRecord.objects.get(seq=middle_seq())
    values = values_of(original) | {"reason": "Nothing happened."}
    tamper("DELETE FROM audit_auditrecord WHERE seq = %s", (original.seq,))
    AuditRecord.objects.create(**values, hash=record_hash(values))
    assert_broken("inserted", original.seq + 1)


def test_it_catches_a_record_inserted_with_a_hash_made_with_another_key():
    record = forge(with_key("a-guessed-key"))
    assert_broken("inserted", record.seq)


def test_it_catches_a_record_inserted_with_a_plain_sha256():
    record = forge(plain_sha256)
    assert_broken("inserted", record.seq)


def test_it_catches_a_forged_record_even_with_the_head_moved_to_it():
    # The head now vouches for the forged hash, so it reads as a record whose
    # content no longer matches its hash: indistinguishable from an alteration.
    record = forge(plain_sha256, move_head=True)
    assert_broken("altered", record.seq)


def test_a_record_forged_with_the_real_key_would_pass():
    # The control for the forgeries above: only the key tells them apart.
    forge(record_hash, move_head=True)
    assert verify_chain().ok
