"""Applying an imported file: a dry run, then one audited transaction through the services."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.services import role_set
from audit.models import AuditRecord
from matrices.exchange.files import read_csv, write_csv
from matrices.exchange.longformat import parse_rows, rows_from_snapshot
from matrices.exchange.problems import ImportProblems
from matrices.models import Cell, ControlDomain, ImportJob, Offering, Provider
from matrices.progress import progress_reporter
from matrices.selectors.imports import import_plan, import_status
from matrices.services.imports import import_apply, import_request, import_run
from matrices.snapshot import snapshot_build
from tests.factories import customer_duty_set, draft_hash, state

pytestmark = pytest.mark.django_db


P = "singlestore"


def exported_rows() -> list[dict]:
    return rows_from_snapshot(snapshot_build(Provider.objects.get(slug=P)))


def parsed(rows: list[dict]):
    return parse_rows(read_csv(write_csv(rows), filename="m.csv"), source="m.csv")


def edited_rows() -> list[dict]:
    rows = [r for r in exported_rows() if r["offering"] != "SingleStore Self-managed"]
    for row in rows:
        if (row["domain"], row["offering"], row["party"]) == (
            "Compliance",
            "SingleStore Helios",
            "Customer",
        ):
            row["duty"] = "Keep audit evidence for two years."
    rows.append(
        {
            "domain": "Physical security",
            "offering": "SingleStore Helios",
            "offering_kind": "managed",
            "party": "SingleStore",
            "party_role": "provider",
            "ownership": "provider",
            "duty": "Rely on the cloud provider's data centres.",
        }
    )
    return rows


def test_importing_the_exported_file_changes_nothing(users):
    provider = Provider.objects.get(slug=P)
    plan = import_plan(actor=users["editor"], provider=provider, parsed=parsed(exported_rows()))
    assert plan.is_empty
    seq = AuditRecord.objects.order_by("-seq").first().seq
    import_apply(
        actor=users["editor"],
        provider=provider,
        parsed=parsed(exported_rows()),
        expected_hash=plan.base_hash,
        reason="no-op",
    )
    assert not AuditRecord.objects.filter(seq__gt=seq).exists()


def test_the_dry_run_shows_additions_removals_and_changes_and_writes_nothing(users):
    provider = Provider.objects.get(slug=P)
    before = snapshot_build(provider)
    plan = import_plan(actor=users["editor"], provider=provider, parsed=parsed(edited_rows()))
    # The new cell: a row for each party, the customer's without a duty.
    assert sorted((r["party"], r["duty"][:8]) for r in plan.added) == [
        ("Customer", ""),
        ("SingleStore", "Rely on "),
    ]
    assert len(plan.removed) == 30  # 15 domains x 2 parties of the Self-managed offering
    assert [(b["duty"][:10], a["duty"]) for b, a in plan.changed] == [
        ("Configure ", "Keep audit evidence for two years.")
    ]
    assert plan.axes_added == ["domain “Physical security”"]
    assert plan.axes_removed == ["offering “SingleStore Self-managed”"]
    assert snapshot_build(provider) == before


def test_applying_makes_the_draft_what_the_file_says_with_one_shared_reason(users):
    provider = Provider.objects.get(slug=P)
    file = parsed(edited_rows())
    plan = import_plan(actor=users["editor"], provider=provider, parsed=file)
    seq = AuditRecord.objects.order_by("-seq").first().seq
    import_apply(
        actor=users["editor"],
        provider=provider,
        parsed=file,
        expected_hash=plan.base_hash,
        reason="Quarterly sync",
    )
    assert not Offering.objects.filter(provider=provider, name="SingleStore Self-managed").exists()
    domain = ControlDomain.objects.get(provider=provider, name="Physical security")
    assert domain.position == 15
    cell = Cell.objects.get(
        provider=provider, domain__name="Compliance", offering__name="SingleStore Helios"
    )
    assert [d.text for d in cell.duties.filter(party__role="customer")] == [
        "Keep audit evidence for two years."
    ]
    # The file and the draft now agree, exactly.
    assert import_plan(actor=users["editor"], provider=provider, parsed=file).is_empty
    records = AuditRecord.objects.filter(seq__gt=seq)
    assert records.count() > 10
    assert set(records.values_list("reason", flat=True)) == {"Quarterly sync"}
    assert set(records.values_list("actor_id", flat=True)) == {users["editor"].pk}


def test_applying_is_refused_when_the_draft_changed_since_the_dry_run(users):
    provider = Provider.objects.get(slug=P)
    file = parsed(edited_rows())
    before = draft_hash(provider)
    with pytest.raises(ValidationError, match="changed since the dry run"):
        import_apply(
            actor=users["editor"],
            provider=provider,
            parsed=file,
            expected_hash="0" * 64,
            reason="x",
        )
    assert draft_hash(provider) == before


def test_only_editors_may_import(users):
    provider = Provider.objects.get(slug=P)
    with pytest.raises(PermissionDenied):
        import_plan(actor=users["viewer"], provider=provider, parsed=parsed(edited_rows()))


@pytest.mark.parametrize("stage", ["Cells written", "Duties written", "after the audit"])
def test_a_failure_half_way_leaves_the_draft_untouched(users, monkeypatch, stage):
    """Fault injection in the set-based path: a failure after some tables (or even the
    audit records) were written leaves nothing written."""
    import matrices.services.draft_sync as draft_sync

    provider = Provider.objects.get(slug=P)
    file = parsed(edited_rows())
    plan = import_plan(actor=users["editor"], provider=provider, parsed=file)
    before = state()

    def progress(fraction, message):
        if message == stage:
            raise RuntimeError("disk full")

    if stage == "after the audit":
        real = draft_sync.audit_append_many

        def append_then_fail(entries):
            real(entries)
            raise RuntimeError("disk full")

        monkeypatch.setattr(draft_sync, "audit_append_many", append_then_fail)
    with pytest.raises(RuntimeError):
        import_apply(
            actor=users["editor"],
            provider=provider,
            parsed=file,
            expected_hash=plan.base_hash,
            reason="x",
            progress=progress,
        )
    assert state() == before


def test_applying_writes_only_the_cells_whose_rows_change(users):
    provider = Provider.objects.get(slug=P)
    file = parsed(edited_rows())
    plan = import_plan(actor=users["editor"], provider=provider, parsed=file)
    seq = AuditRecord.objects.order_by("-seq").first().seq
    import_apply(
        actor=users["editor"],
        provider=provider,
        parsed=file,
        expected_hash=plan.base_hash,
        reason="x",
    )
    written = AuditRecord.objects.filter(
        seq__gt=seq, object_type="cell", action__in=["create", "update"]
    )
    assert sorted(written.values_list("object_label", flat=True)) == [
        "Compliance / SingleStore Helios",
        "Physical security / SingleStore Helios",
    ]


# --- in the background ---------------------------------------------------------------


def queue(users, rows=None, *, expected_hash=None):
    provider = Provider.objects.get(slug=P)
    data = write_csv(rows if rows is not None else edited_rows())
    return import_request(
        actor=users["editor"],
        provider=provider,
        filename="matrix.csv",
        data=data,
        expected_hash=expected_hash or draft_hash(provider),
        reason="Quarterly sync",
    )


def test_a_queued_import_keeps_the_file_and_is_applied_by_the_worker(users):
    rows = edited_rows()
    job = queue(users, rows)
    assert (job.status, job.filename) == ("queued", "matrix.csv")
    with job.file.open("rb") as stored:
        assert stored.read() == write_csv(rows)
    assert import_status(job).state == "queued"
    job = import_run(job.pk)
    assert job.status == "done"
    assert job.summary["changed"] == 1
    assert import_status(job).fraction == 1.0
    assert write_csv(rows_from_snapshot(snapshot_build(job.provider))) == write_csv(
        rows_from_snapshot(parsed(rows).to_snapshot_like())
    )
    assert import_run(job.pk).finished_at == job.finished_at  # a redelivery does nothing


def test_a_stale_or_unreadable_request_queues_nothing(users):
    before = (state(), ImportJob.objects.count())
    with pytest.raises(ValidationError, match="changed since the dry run"):
        queue(users, expected_hash="0" * 64)
    with pytest.raises(ImportProblems):
        queue(users, rows=[{**edited_rows()[0], "ownership": "mine"}])
    assert (state(), ImportJob.objects.count()) == before


def test_a_draft_changed_after_queueing_fails_the_job_and_writes_nothing(users):
    job = queue(users)
    customer_duty_set(users["editor"], "Changed while the import waited.")
    before = state()
    job = import_run(job.pk)
    assert job.status == "failed"
    assert "changed since the dry run" in job.error
    status = import_status(job)
    assert (status.state, status.finished) == ("failed", True)
    assert status.message.startswith("Nothing was written")
    assert state() == before


def test_a_role_revoked_after_queueing_fails_the_job(users):
    job = queue(users)
    role_set(actor=None, provider=job.provider, principal=users["editor"], role=None)
    before = state()
    assert import_run(job.pk).status == "failed"
    assert state() == before


def test_a_running_import_whose_worker_went_silent_is_said_to_have_stalled(users, settings):
    settings.IMPORT_STALL_SECONDS = 60
    job = queue(users)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=timezone.now() - timedelta(minutes=5)
    )
    job.refresh_from_db()
    progress_reporter(job.pk)(0.5, "Cells validated")
    assert import_status(job).state == "running"
    later = timezone.now() + timedelta(minutes=2)
    with mock.patch("matrices.selectors.imports.timezone.now", return_value=later):
        status = import_status(job)
    # Not final: the broker gives the task to a worker again; its page keeps asking.
    assert (status.state, status.finished, status.poll_seconds) == ("stalled", False, 10)
    assert "Nothing is written until an import finishes" in status.message
