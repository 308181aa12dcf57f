"""The write path: services validate before saving and write all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from matrices.models import Cell, Duty, Party
from matrices.services import DutyInput, cell_set

pytestmark = pytest.mark.django_db


def test_cell_set_refuses_a_party_of_another_provider_and_writes_nothing(singlestore, acme):
    offering = singlestore.offerings.get(slug="helios")
    domain = singlestore.domains.get(slug="compliance")
    before = list(Cell.objects.get(offering=offering, domain=domain).duties.values_list("text"))
    with pytest.raises(ValidationError, match="Not parties of this provider: Customer"):
        cell_set(
            actor=None,
            offering=offering,
            domain=domain,
            ownership="customer",
            duties={acme.parties.get(): [DutyInput(text="Anything.")]},
        )
    cell = Cell.objects.get(offering=offering, domain=domain)
    assert cell.ownership == "shared"
    assert list(cell.duties.values_list("text")) == before


def test_cell_set_with_an_invalid_item_leaves_the_cell_as_it_was(singlestore):
    offering = singlestore.offerings.get(slug="helios")
    domain = singlestore.domains.get(slug="compliance")
    customer = Party.objects.get(provider=singlestore, role="customer")
    before = list(Duty.objects.filter(cell__offering=offering, cell__domain=domain).values_list())
    with pytest.raises(ValidationError):
        cell_set(
            actor=None,
            offering=offering,
            domain=domain,
            ownership="customer",
            duties={customer: [DutyInput(text="Fine."), DutyInput(text="<script></script>")]},
        )
    after = list(Duty.objects.filter(cell__offering=offering, cell__domain=domain).values_list())
    assert after == before
    assert Cell.objects.get(offering=offering, domain=domain).ownership == "shared"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the duty, or mark it not applicable."),
        ("  ", "Write the duty, or mark it not applicable."),
        (
            "<script>x</script>",
            "Raw HTML is removed from duties, and nothing was left: "
            "write the duty in Markdown, or mark it not applicable.",
        ),
        (
            "<b></b>",
            "Raw HTML is removed from duties, and nothing was left: "
            "write the duty in Markdown, or mark it not applicable.",
        ),
    ],
)
def test_cell_set_says_whether_an_empty_item_was_empty_or_only_raw_html(singlestore, text, message):
    offering = singlestore.offerings.get(slug="helios")
    domain = singlestore.domains.get(slug="compliance")
    customer = Party.objects.get(provider=singlestore, role="customer")
    version = Cell.objects.get(offering=offering, domain=domain).version
    with pytest.raises(ValidationError) as refused:
        cell_set(
            actor=None,
            offering=offering,
            domain=domain,
            ownership="customer",
            duties={customer: [DutyInput(text=text)]},
        )
    assert refused.value.message_dict == {"text": [message]}
    assert Cell.objects.get(offering=offering, domain=domain).version == version


def test_cell_set_refuses_an_unknown_ownership(singlestore):
    with pytest.raises(ValidationError, match="ownership"):
        cell_set(
            actor=None,
            offering=singlestore.offerings.first(),
            domain=singlestore.domains.first(),
            ownership="mostly-them",
            duties={},
        )


def test_cell_set_replaces_the_duties_in_the_given_order(singlestore):
    offering = singlestore.offerings.get(slug="helios")
    domain = singlestore.domains.get(slug="compliance")
    customer = Party.objects.get(provider=singlestore, role="customer")
    cell_set(
        actor=None,
        offering=offering,
        domain=domain,
        ownership="customer",
        duties={customer: [DutyInput(text="Second."), DutyInput(text="First.", advanced=True)]},
    )
    cell = Cell.objects.get(offering=offering, domain=domain)
    assert cell.ownership == "customer"
    assert [(d.party_id, d.text, d.advanced) for d in cell.duties.all()] == [
        (customer.pk, "Second.", False),
        (customer.pk, "First.", True),
    ]
