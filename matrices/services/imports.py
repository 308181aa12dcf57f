"""Importing a whole matrix from the long format: a dry run, then one audited transaction.

The file is the truth for the provider's draft: parties, offerings and
domains are matched by name; what the file lacks is removed, what it adds is
created, and everything takes the file's order. The writes are set-based
(``draft_sync``), with one audit record per changed object and one shared
reason. Applying is refused when the draft changed since the dry run.
"""

from __future__ import annotations

from django.db import transaction

from accounts.access import require
from accounts.roles import Action
from matrices.exchange.longformat import ParsedMatrix
from matrices.models import Provider
from matrices.selectors.imports import ImportPlan, import_plan
from matrices.services.draft_sync import MatrixTarget, Progress, draft_sync
from matrices.services.errors import StaleDraft


@transaction.atomic
def import_apply(
    *,
    actor,
    provider: Provider,
    parsed: ParsedMatrix,
    expected_hash: str,
    reason: str,
    progress: Progress | None = None,
) -> ImportPlan:
    """Make the draft exactly what the file says, in one transaction; returns what was done.

    Refused (StaleDraft) when the draft changed since the dry run whose ``base_hash``
    the caller checked; nothing is written then, nor when any row is refused.
    """
    require(actor, provider, Action.EDIT)
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    plan = import_plan(actor=actor, provider=provider, parsed=parsed)
    if plan.base_hash != expected_hash:
        raise StaleDraft(
            "The draft changed since the dry run: run it again and check "
            "the differences before applying."
        )
    draft_sync(
        actor=actor,
        provider=provider,
        target=MatrixTarget.from_parsed(parsed),
        reason=reason.strip() or "Imported from a file.",
        progress=progress,
    )
    return plan
