"""Every write path: one audit record per changed object, all or nothing, no lost update."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.roles import Role
from accounts.services import role_set
from audit.models import AuditRecord
from audit.services import audit_append as real_audit_append
from matrices.models import Cell, ControlDomain, Offering, Party, Provider
from matrices.services import (
    DutyInput,
    StaleVersion,
    axis_delete,
    axis_move,
    axis_update,
    cell_set,
    domain_create,
)
from tests.factories import state

P = "singlestore"


def helios_compliance():
    provider = Provider.objects.get(slug=P)
    offering = Offering.objects.get(provider=provider, slug="helios")
    domain = ControlDomain.objects.get(provider=provider, slug="compliance")
    return provider, offering, domain


def customer() -> Party:
    return Party.objects.get(provider__slug=P, role="customer")


def write_cell(users):
    _, offering, domain = helios_compliance()
    cell_set(
        actor=users["editor"],
        offering=offering,
        domain=domain,
        ownership="customer",
        duties={customer(): [DutyInput(text="Changed.")]},
        expected_version=Cell.objects.get(offering=offering, domain=domain).version,
    )


def rename_domain(users):
    _, _, domain = helios_compliance()
    axis_update(
        actor=users["editor"],
        obj=domain,
        expected_version=domain.version,
        changes={"name": "Renamed"},
    )


def move_domain(users):
    _, _, domain = helios_compliance()
    axis_move(actor=users["editor"], obj=domain, expected_version=domain.version, offset=-2)


def delete_domain(users):
    _, _, domain = helios_compliance()
    axis_delete(actor=users["editor"], obj=domain, expected_version=domain.version)


def delete_party(users):
    party = customer()
    axis_delete(actor=users["editor"], obj=party, expected_version=party.version)


def add_domain(users):
    domain_create(
        actor=users["editor"], provider=Provider.objects.get(slug=P), name="New", slug="new"
    )


def grant_role(users):
    role_set(
        actor=users["admin"],
        provider=Provider.objects.get(slug=P),
        principal=users["outsider"],
        role=Role.AUDITOR,
    )


WRITES = {
    "cell_set": (write_cell, "matrices.services.auditing.audit_append", 1),
    "axis_update": (rename_domain, "matrices.services.auditing.audit_append", 1),
    "axis_move": (move_domain, "matrices.services.auditing.audit_append", 3),
    "axis_delete domain": (delete_domain, "matrices.services.auditing.audit_append", 4),
    # The customer holds items in all 45 SingleStore cells (N/A markers are items too):
    # one record per cell, then one for the party.
    "axis_delete party": (delete_party, "matrices.services.auditing.audit_append", 46),
    "domain_create": (add_domain, "matrices.services.auditing.audit_append", 1),
    "role_set": (grant_role, "accounts.services.audit_append", 1),
}


class Injected(RuntimeError):
    pass


@pytest.fixture
def users_tx(transactional_db):
    """A small provider and an editor, committed, for tests that use several connections."""
    from django.contrib.auth import get_user_model

    from tests.factories import small_provider

    provider = small_provider("concurrent", published=False)
    offering = provider.offerings.get()
    domain = provider.domains.get()
    editor = get_user_model().objects.create_user("concurrent-editor", password="x-Pass-12345")
    role_set(actor=None, provider=provider, principal=editor, role=Role.EDITOR)
    return {"cell": (provider, offering, domain), "editor": editor}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(WRITES))
def test_each_write_leaves_one_audit_record_per_changed_object(users, name):
    write, _, changed_objects = WRITES[name]
    start = AuditRecord.objects.order_by("-seq").first().seq
    write(users)
    records = list(AuditRecord.objects.filter(seq__gt=start))
    keys = [(r.object_type, r.object_id) for r in records]
    assert len(records) == len(set(keys)), "one record per object"
    assert len(records) == changed_objects


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(WRITES))
def test_a_failure_after_the_audit_write_leaves_neither_change_nor_record(users, monkeypatch, name):
    """Fault injection: the record is written, then the service fails before returning."""
    write, target, _ = WRITES[name]

    def append_then_fail(**kwargs):
        real_audit_append(**kwargs)
        raise Injected("after the save")

    before = state()
    monkeypatch.setattr(target, append_then_fail)
    with pytest.raises(Injected):
        write(users)
    assert state() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_concurrent_stale_edits_one_wins_one_conflicts(users_tx):
    """Two threads save the same cell from the same version at the same moment."""
    provider, offering, domain = users_tx["cell"]
    version = Cell.objects.get(offering=offering, domain=domain).version
    party = Party.objects.get(provider=provider, role="customer")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            cell_set(
                actor=users_tx["editor"],
                offering=offering,
                domain=domain,
                ownership="customer",
                duties={party: [DutyInput(text=f"By {name}.")]},
                expected_version=version,
            )
            outcomes[name] = "saved"
        except StaleVersion:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    cell = Cell.objects.get(offering=offering, domain=domain)
    assert cell.version == version + 1
    assert [d.text for d in cell.duties.all()] == [f"By {winner}."]
    assert AuditRecord.objects.filter(object_type="cell", object_id=str(cell.pk)).count() == 2
