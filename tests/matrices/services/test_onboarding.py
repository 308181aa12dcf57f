"""Creating a provider in one step: from a template, from a file, or empty."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matrices.models import Provider
from matrices.services import DutyInput, cell_set, provider_create, provider_create_from
from matrices.snapshot import snapshot_build
from tests.factories import matrix_without_ids, small_provider, state

pytestmark = pytest.mark.django_db


REASON = "Onboarding Acme for the Q3 review."


def test_from_the_template_unpublished_edits_of_its_draft_are_left_out(users):
    template = Provider.objects.get(slug="template")
    published = matrix_without_ids(template.published.snapshot)
    cell = template.cells.select_related("offering", "domain").first()
    party = template.parties.first()
    cell_set(
        actor=None,
        offering=cell.offering,
        domain=cell.domain,
        ownership="n/a",
        duties={party: [DutyInput(text="Not reviewed yet.")]},
    )
    acme = provider_create_from(
        actor=users["superuser"],
        name="Acme",
        slug="acme",
        visibility="public",
        template=template,
        reason=REASON,
    )
    assert matrix_without_ids(snapshot_build(acme)) == published


def test_from_a_template_never_published_its_draft_is_copied(users):
    draft_only = small_provider("starter", published=False)
    Provider.objects.filter(pk=draft_only.pk).update(is_template=True)
    draft_only.refresh_from_db()
    acme = provider_create_from(
        actor=users["superuser"],
        name="Acme",
        slug="acme",
        visibility="public",
        template=draft_only,
    )
    assert matrix_without_ids(snapshot_build(acme)) == matrix_without_ids(
        snapshot_build(draft_only)
    )


def test_a_provider_that_is_not_a_template_is_refused(users):
    before = state()
    with pytest.raises(ValidationError) as refused:
        provider_create_from(
            actor=users["superuser"],
            name="Acme",
            slug="acme",
            visibility="public",
            template=Provider.objects.get(slug="singlestore"),
        )
    assert "template" in refused.value.message_dict
    assert state() == before


def test_no_write_path_creates_a_provider_named_new():
    with pytest.raises(ValidationError) as refused:
        provider_create(name="New", slug="new")
    assert "slug" in refused.value.message_dict
    assert not Provider.objects.filter(slug="new").exists()


def test_the_service_refuses_non_superusers(users):
    before = state()
    with pytest.raises(PermissionDenied):
        provider_create_from(
            actor=users["admin"],
            name="Acme",
            slug="acme",
            visibility="public",
            template=Provider.objects.get(slug="template"),
        )
    assert state() == before


def test_a_slug_taken_between_the_check_and_the_insert_is_a_validation_error(monkeypatch):
    from django.core.exceptions import ValidationError

    from matrices.models import Provider
    from matrices.services import provider_create

    real_clean = Provider.full_clean

    def clean_then_lose_the_race(self, *args, **kwargs):
        real_clean(self, *args, **kwargs)
        Provider.objects.create(name="Racer", slug=self.slug)  # the other request wins

    monkeypatch.setattr(Provider, "full_clean", clean_then_lose_the_race)
    with pytest.raises(ValidationError) as refused:
        provider_create(name="Late", slug="contested")
    assert "slug" in refused.value.message_dict
    assert not Provider.objects.filter(name="Late").exists()
