"""Constraints the database itself enforces, whatever path writes the rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from matrices.models import (
    Cell,
    ControlDomain,
    Duty,
    MatrixVersion,
    Offering,
    Party,
    Provider,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other() -> Provider:
    provider = Provider.objects.create(name="Other", slug="other")
    Offering.objects.create(provider=provider, name="Hosted", slug="hosted", kind="managed")
    ControlDomain.objects.create(provider=provider, name="Keys", slug="keys")
    Party.objects.create(provider=provider, name="Customer", role="customer")
    return provider


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_it_refuses_two_offerings_with_one_slug_in_a_provider(singlestore):
    assert refused(
        lambda: Offering.objects.create(
            provider=singlestore, name="Copy", slug="helios", kind="managed"
        )
    )


def test_it_allows_the_same_slug_under_another_provider(other):
    Offering.objects.create(provider=other, name="Helios", slug="helios", kind="managed")
    assert other.offerings.filter(slug="helios").exists()


def test_it_refuses_a_duplicate_domain_slug(singlestore):
    assert refused(
        lambda: ControlDomain.objects.create(provider=singlestore, name="X", slug="compliance")
    )


def test_it_refuses_a_second_cell_for_one_offering_and_domain(singlestore):
    cell = singlestore.cells.first()
    assert refused(
        lambda: Cell.objects.create(
            provider=singlestore, offering=cell.offering, domain=cell.domain, ownership="shared"
        )
    )


def test_it_refuses_a_cell_whose_offering_belongs_to_another_provider(singlestore, other):
    domain = singlestore.domains.first()
    assert refused(
        lambda: Cell.objects.create(
            provider=singlestore,
            offering=other.offerings.get(),
            domain=domain,
            ownership="shared",
        )
    )


def test_it_refuses_a_cell_whose_domain_belongs_to_another_provider(singlestore, other):
    assert refused(
        lambda: Cell.objects.create(
            provider=other,
            offering=other.offerings.get(),
            domain=singlestore.domains.first(),
            ownership="shared",
        )
    )


def test_it_refuses_moving_a_cell_to_another_provider(singlestore, other):
    cell = singlestore.cells.first()
    assert refused(lambda: Cell.objects.filter(pk=cell.pk).update(provider=other))


def test_it_refuses_a_duty_for_a_party_of_another_provider(singlestore, other):
    cell = singlestore.cells.first()
    assert refused(
        lambda: Duty.objects.create(cell=cell, party=other.parties.get(), text="Do things.")
    )


def test_it_refuses_moving_an_offering_domain_or_party_to_another_provider(singlestore, other):
    for model in (Offering, ControlDomain, Party):
        row = model.objects.filter(provider=singlestore).first()
        assert refused(
            lambda row=row, model=model: model.objects.filter(pk=row.pk).update(provider=other)
        ), model


def test_it_refuses_an_unknown_ownership_value(singlestore):
    cell = singlestore.cells.first()
    assert refused(lambda: Cell.objects.filter(pk=cell.pk).update(ownership="mostly-them"))


def test_it_refuses_a_duty_that_is_both_advanced_and_not_applicable(singlestore):
    cell = singlestore.cells.first()
    party = singlestore.parties.first()
    assert refused(
        lambda: Duty.objects.create(cell=cell, party=party, advanced=True, not_applicable=True)
    )


def test_it_refuses_an_empty_duty_unless_it_is_not_applicable(singlestore):
    cell = singlestore.cells.first()
    party = singlestore.parties.first()
    assert refused(lambda: Duty.objects.create(cell=cell, party=party, text=""))
    Duty.objects.create(cell=cell, party=party, text="", not_applicable=True)


P = "singlestore"


def test_a_published_version_refuses_to_be_saved_again():
    version = MatrixVersion.objects.filter(provider__slug=P).first()
    version.summary = "rewritten history"
    with pytest.raises(ValidationError, match="never changes"):
        version.save()


def test_the_database_refuses_to_update_a_published_version():
    version = MatrixVersion.objects.filter(provider__slug=P).first()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        MatrixVersion.objects.filter(pk=version.pk).update(summary="rewritten history")
    assert MatrixVersion.objects.get(pk=version.pk).summary == version.summary
