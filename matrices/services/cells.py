"""Writing a cell: its ownership and each party's duties, audited and version-checked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.access import require
from accounts.roles import Action
from audit.models import AuditAction
from matrices.models import Cell, ControlDomain, Duty, Offering, Party
from matrices.richtext import render_markdown
from matrices.services.auditing import audit_change
from matrices.services.errors import StaleVersion


@dataclass(frozen=True)
class DutyInput:
    """One duty item as a caller supplies it."""

    text: str = ""
    advanced: bool = False
    not_applicable: bool = False
    scope: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DutyInput:
        """The item from a mapping with these keys (a snapshot's duty, a form's or the API's
        cleaned data); missing keys take their defaults, unknown keys are ignored."""
        return cls(
            text=data.get("text") or "",
            advanced=bool(data.get("advanced", False)),
            not_applicable=bool(data.get("not_applicable", False)),
            scope=(data.get("scope") or "").strip(),
        )


def validated_duties(party: Party, items: Sequence[DutyInput]) -> list[Duty]:
    """``items`` of ``party`` as unsaved duties (in order), cleaned and checked as a saved
    duty is (raw HTML removed, Markdown rendered, the model's field and ``clean`` rules),
    without a query: the database's own constraints check the rest on insert.

    Raises ValidationError (the model's, field by field) for the first bad item.
    """
    duties = []
    for position, item in enumerate(items):
        duty = Duty(
            party=party,
            text=item.text,
            advanced=item.advanced,
            not_applicable=item.not_applicable,
            scope=item.scope,
            position=position,
        )
        duty.full_clean(exclude=["cell", "party"], validate_constraints=False)
        duty.text_html = render_markdown(duty.text)
        duties.append(duty)
    return duties


@transaction.atomic
def cell_set(
    *,
    actor,
    offering: Offering,
    domain: ControlDomain,
    ownership: str,
    duties: Mapping[Party, Sequence[DutyInput]],
    expected_version: int | None = None,
    reason: str = "",
) -> Cell:
    """Create or replace the cell (offering, domain) with ``ownership`` and ``duties``.

    Parties absent from ``duties`` keep no duty in the cell. ``expected_version``
    is the version the caller edited (0 for a cell that did not exist yet);
    when someone saved in between, raises ``StaleVersion`` and writes nothing.
    Raises ``ValidationError`` (nothing written) when the offering, domain and
    parties do not all belong to one provider or an item is invalid, and
    ``PermissionDenied`` when ``actor`` may not edit the provider.
    """
    provider = offering.provider
    require(actor, provider, Action.EDIT)
    if domain.provider_id != provider.pk:
        raise ValidationError("The offering and the domain belong to different providers.")
    strangers = [party.name for party in duties if party.provider_id != provider.pk]
    if strangers:
        raise ValidationError(f"Not parties of this provider: {', '.join(strangers)}.")

    cell = Cell.objects.select_for_update().filter(offering=offering, domain=domain).first()
    if cell is not None:
        if expected_version is not None and cell.version != expected_version:
            raise StaleVersion(cell, expected_version)
        cell.provider, cell.offering, cell.domain = provider, offering, domain  # no re-reads
        before = cell.audit_snapshot()
    else:
        if expected_version not in (None, 0):
            raise StaleVersion(None, expected_version)
        cell = Cell(provider=provider, offering=offering, domain=domain, version=0)
        before = None

    cell.ownership = ownership
    cell.clean_fields(exclude=["provider", "offering", "domain"])
    items = [
        duty
        for party, party_items in duties.items()
        for duty in validated_duties(party, party_items)
    ]

    desired = {
        "offering": offering.slug,
        "domain": domain.slug,
        "ownership": ownership,
        "duties": [
            duty.audit_snapshot()
            for duty in sorted(items, key=lambda d: (d.party.position, d.party.pk, d.position))
        ],
    }
    if before == desired:
        return cell  # nothing changes: no write, no version bump, no audit record

    cell.version += 1
    try:
        with transaction.atomic():
            cell.save()
    except IntegrityError:
        # Another request created this cell between our read and our insert.
        raise StaleVersion(
            Cell.objects.filter(offering=offering, domain=domain).first(), 0
        ) from None
    cell.duties.all().delete()
    for duty in items:
        duty.cell = cell
    Duty.objects.bulk_create(items)

    audit_change(
        cell,
        AuditAction.CREATE if before is None else AuditAction.UPDATE,
        actor=actor,
        before=before,
        after=desired,
        reason=reason,
        label=f"{domain.name} / {offering.name}",
    )
    return cell


@transaction.atomic
def cell_delete(*, actor, cell: Cell, reason: str = "") -> None:
    """Empty one position of the matrix: the cell and its duties go, their content stays
    in the audit log."""
    require(actor, cell.provider, Action.EDIT)
    audit_change(cell, AuditAction.DELETE, actor=actor, before=cell.audit_snapshot(), reason=reason)
    cell.delete()
