"""The dry run of an import: what applying a long-format file would change in the draft."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from accounts.access import require, sees_draft
from accounts.roles import Action
from matrices.exchange.longformat import ParsedMatrix, rows_from_snapshot
from matrices.models import ImportJob, Provider
from matrices.progress import progress_of
from matrices.snapshot import snapshot_build, snapshot_hash

Key = tuple[str, str, str]  # (domain, offering, party)


@dataclass
class ImportPlan:
    """What applying the file would do to the draft, row by row."""

    base_hash: str  # the draft's hash when the plan was made
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)  # (before, after)
    axes_added: list[str] = field(default_factory=list)
    axes_removed: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.axes_added or self.axes_removed
        )


def _keyed(rows: list[dict]) -> dict[Key, dict]:
    return {(r["domain"], r["offering"], r["party"]): r for r in rows}


def import_plan(
    *, actor, provider: Provider, parsed: ParsedMatrix, draft: dict | None = None
) -> ImportPlan:
    """The dry run: the differences between the draft and the file, nothing written.

    ``draft`` is the draft's snapshot, when the caller has just built it.
    """
    require(actor, provider, Action.EDIT)
    current = draft if draft is not None else snapshot_build(provider)
    before = _keyed(rows_from_snapshot(current))
    after = _keyed(rows_from_snapshot(parsed.to_snapshot_like()))
    plan = ImportPlan(base_hash=snapshot_hash(current))
    for key, row in after.items():
        if key not in before:
            plan.added.append(row)
        elif before[key] != row:
            plan.changed.append((before[key], row))
    plan.removed = [row for key, row in before.items() if key not in after]
    for kind, old, new in (
        ("domain", [d["name"] for d in current["domains"]], parsed.domains),
        ("offering", [o["name"] for o in current["offerings"]], [o.name for o in parsed.offerings]),
        ("party", [p["name"] for p in current["parties"]], [p.name for p in parsed.parties]),
    ):
        plan.axes_added += [f"{kind} “{n}”" for n in new if n not in old]
        plan.axes_removed += [f"{kind} “{n}”" for n in old if n not in new]
    return plan


@dataclass(frozen=True)
class ImportStatus:
    """Where an import stands, for its page and the API."""

    state: str  # queued, running, done, failed, or stalled (its worker went silent)
    fraction: float
    stage: str
    message: str

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def poll_seconds(self) -> int:
        """How soon its page asks again: soon while it moves, less often once it stalled."""
        return 10 if self.state == "stalled" else 1


def import_job_for(user, provider: Provider, pk: int) -> ImportJob:
    """The provider's import, for those who may read its draft (else 404)."""
    jobs = ImportJob.objects.filter(provider=provider, pk=pk).select_related("requested_by")
    job = jobs.first()
    if job is None or not sees_draft(user, provider):
        raise Http404("No such import.")
    return job


def import_status(job: ImportJob) -> ImportStatus:
    """The job's state, with the worker's last report. A running job whose worker has been
    silent for ``IMPORT_STALL_SECONDS`` has probably lost it: nothing of it is written,
    and the broker gives the task to a worker again (acks_late), so it is not final."""
    reported = progress_of(job.pk)
    if job.status == ImportJob.Status.DONE:
        return ImportStatus("done", 1.0, "Imported", "The draft is now what the file says.")
    if job.status == ImportJob.Status.FAILED:
        return ImportStatus("failed", 0.0, "Failed", f"Nothing was written. {job.error}")
    if job.status == ImportJob.Status.QUEUED:
        return ImportStatus("queued", 0.0, "Waiting for a worker", "")
    last = reported.at if reported else job.started_at
    limit = timedelta(seconds=settings.IMPORT_STALL_SECONDS)
    if last is not None and timezone.now() - last > limit:
        return ImportStatus(
            "stalled",
            reported.fraction if reported else 0.0,
            "Stopped",
            "The worker has stopped reporting. Nothing is written until an import finishes "
            "(it is all or nothing); if the worker was stopped, the import starts again when "
            "a worker takes it up, and this page follows it.",
        )
    return ImportStatus(
        "running", reported.fraction if reported else 0.0, reported.stage if reported else "", ""
    )
