"""Writing a cell: its ownership and each party's duties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from matrices.models import Cell, ControlDomain, Duty, Offering, Party


@dataclass(frozen=True)
class DutyInput:
    """One duty item as a caller supplies it."""

    text: str = ""
    advanced: bool = False
    not_applicable: bool = False
    scope: str = ""


@transaction.atomic
def cell_set(
    *,
    offering: Offering,
    domain: ControlDomain,
    ownership: str,
    duties: Mapping[Party, Sequence[DutyInput]],
) -> Cell:
    """Create or replace the cell (offering, domain) with ``ownership`` and ``duties``.

    Parties absent from ``duties`` keep no duty in the cell. Raises
    ``ValidationError`` (and writes nothing) when a party, the offering and
    the domain do not all belong to one provider, or an item is invalid.
    """
    provider_id = offering.provider_id
    if domain.provider_id != provider_id:
        raise ValidationError("The offering and the domain belong to different providers.")
    strangers = [party.name for party in duties if party.provider_id != provider_id]
    if strangers:
        raise ValidationError(f"Not parties of this provider: {', '.join(strangers)}.")

    cell = Cell.objects.filter(offering=offering, domain=domain).first() or Cell(
        provider_id=provider_id, offering=offering, domain=domain
    )
    cell.ownership = ownership
    cell.full_clean(validate_unique=False)
    cell.save()

    cell.duties.all().delete()
    for party, items in duties.items():
        for position, item in enumerate(items):
            duty = Duty(
                cell=cell,
                party=party,
                text=item.text,
                advanced=item.advanced,
                not_applicable=item.not_applicable,
                scope=item.scope,
                position=position,
            )
            duty.full_clean()
            duty.save()
    return cell
