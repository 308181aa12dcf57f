"""Published versions: four-eyes approval bound to a hash, immutability, drafts, diffs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from matrices.models import ControlDomain, Provider
from matrices.services import (
    axis_update,
    domain_create,
    draft_approve,
)
from tests.factories import customer_duty_set, submit

pytestmark = pytest.mark.django_db


P = "singlestore"


def test_a_diff_between_versions_lists_each_known_edit_exactly_once(users):
    provider = Provider.objects.get(slug=P)
    editor = users["editor"]
    customer_duty_set(editor, "Brand new customer duty.", ownership="customer")
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
