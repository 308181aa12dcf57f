"""The state of a provider's draft under four-eyes review: what changed, by whom, what waits.

The versions page and the API's review endpoints both read it here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from audit.models import MATRIX_CONTENT, AuditRecord
from matrices.models import Provider, Submission
from matrices.snapshot import snapshot_build, snapshot_hash


def draft_changes(provider: Provider) -> QuerySet[AuditRecord]:
    """Audit records of changes to the draft since the latest published version."""
    since = provider.published.audit_seq if provider.published_id else 0
    return AuditRecord.objects.filter(
        provider=provider, seq__gt=since, object_type__in=MATRIX_CONTENT
    )


def draft_authors(provider: Provider) -> list[dict]:
    """Who made the draft's unpublished changes: [{'id': user id or None, 'name': label}]."""
    rows = draft_changes(provider).values_list("actor_id", "actor_label").distinct()
    return sorted(({"id": a, "name": label} for a, label in set(rows)), key=lambda a: a["name"])


@dataclass(frozen=True)
class ReviewState:
    """Where the draft stands: its hash, the changes since the latest version, the submission."""

    draft: dict[str, Any]
    draft_hash: str
    published_version: int | None
    unpublished_changes: int
    authors: list[dict]
    pending: Submission | None
    recent: list[Submission] = field(default_factory=list)

    @property
    def pending_is_current(self) -> bool:
        """Whether the pending submission is the draft as it is now (approvable)."""
        return self.pending is not None and self.pending.snapshot_hash == self.draft_hash

    @property
    def author_names(self) -> list[str]:
        return [author["name"] for author in self.authors]

    def is_author(self, user) -> bool:
        return any(author["id"] == user.pk for author in self.authors)


def review_state(provider: Provider) -> ReviewState:
    """The review state of ``provider``'s draft (callers check that the reader sees the draft)."""
    draft = snapshot_build(provider)
    submissions = list(provider.submissions.select_related("submitted_by")[:6])
    pending = next((s for s in submissions if s.status == Submission.Status.PENDING), None)
    return ReviewState(
        draft=draft,
        draft_hash=snapshot_hash(draft),
        published_version=provider.published.number if provider.published_id else None,
        unpublished_changes=draft_changes(provider).count(),
        authors=draft_authors(provider),
        pending=pending,
        recent=[s for s in submissions if s.status != Submission.Status.PENDING][:5],
    )
