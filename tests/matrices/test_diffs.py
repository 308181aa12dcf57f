"""Published versions: four-eyes approval bound to a hash, immutability, drafts, diffs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from matrices.models import Cell, ControlDomain, Party, Provider
from matrices.services import (
    DutyInput,
    axis_update,
    cell_set,
    domain_create,
    draft_approve,
    draft_submit,
)

pytestmark = pytest.mark.django_db


P = "singlestore"


def edit_compliance(user, text: str, ownership: str = "customer") -> Cell:
    provider = Provider.objects.get(slug=P)
    cell = Cell.objects.get(provider=provider, offering__slug="helios", domain__slug="compliance")
    customer = Party.objects.get(provider=provider, role="customer")
    return cell_set(
        actor=user,
        offering=cell.offering,
        domain=cell.domain,
        ownership=ownership,
        duties={customer: [DutyInput(text=text)]},
        expected_version=cell.version,
    )


def submit(users, provider, who="editor"):
    return draft_submit(actor=users[who], provider=provider, summary="Clarified compliance.")


def test_a_diff_between_versions_lists_each_known_edit_exactly_once(users):
    provider = Provider.objects.get(slug=P)
    editor = users["editor"]
    edit_compliance(editor, "Brand new customer duty.", ownership="customer")
    domain = ControlDomain.objects.get(provider=provider, slug="secrets-management")
    axis_update(
        actor=editor,
        obj=domain,
        expected_version=domain.version,
        changes={"name": "Secrets and keys"},
    )
    domain_create(actor=editor, provider=provider, name="Physical security", slug="physical")
    submission = submit(users, provider)
    draft_approve(
        actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
    )
    html = Client().get(reverse("matrices:version_diff", args=[P, "1", "2"])).content.decode()
    text = " ".join(html.split())
    assert text.count("<ins>Brand new customer duty.</ins>") == 1
    assert (
        text.count(
            "Ownership: <del>Shared (provider and customer)</del> → <ins>Customer-owned</ins>"
        )
        == 1
    )
    assert text.count("Secrets and keys") == 1
    assert text.count("Physical security") == 1
    assert "1 cell changed, 1 with a new ownership; 2 row, column or party changes" in text
