"""Which edition of a matrix a caller sees: the one rule behind every page, export and read."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from accounts.services import role_set
from matrices.models import Provider
from matrices.selectors.editions import (
    DRAFT_REFUSED,
    default_which,
    edition_for,
    offerings_seen,
    published_editions,
)
from matrices.services import offering_create
from tests.factories import customer_duty_set, draft_hash, publish, small_provider

pytestmark = pytest.mark.django_db

READERS_OF_THE_DRAFT = ("editor", "approver", "auditor", "admin", "superuser")


@pytest.mark.parametrize("who", READERS_OF_THE_DRAFT)
def test_the_draft_is_read_by_those_who_write_approve_audit_or_administer_it(users, who):
    singlestore = Provider.objects.get(slug="singlestore")
    customer_duty_set(users["editor"], "Only in the draft.")
    edition = edition_for(users[who], singlestore, "draft")
    assert edition.is_draft
    assert edition.which == "draft"
    assert edition.snapshot_hash == draft_hash(singlestore)


@pytest.mark.parametrize("who", [None, "outsider", "viewer", "other_editor"])
def test_the_draft_is_refused_to_everyone_else_with_one_message(users, who):
    singlestore = Provider.objects.get(slug="singlestore")
    with pytest.raises(PermissionDenied, match=DRAFT_REFUSED):
        edition_for(users.get(who), singlestore, "draft")


def test_a_version_is_named_by_its_number_or_as_the_latest(users):
    singlestore = Provider.objects.get(slug="singlestore")
    customer_duty_set(users["editor"], "In version 2.")
    version_2 = publish(singlestore)
    singlestore.refresh_from_db()
    first = edition_for(None, singlestore, "1")
    latest = edition_for(None, singlestore, "latest")
    assert (first.number, first.label, first.is_latest) == (1, "version 1", False)
    assert (latest.number, latest.label, latest.is_latest) == (2, "version 2 (latest)", True)
    assert latest.snapshot_hash == version_2.snapshot_hash
    assert latest.which == "2"


@pytest.mark.parametrize(
    ("which", "message"),
    [("9", "has no version 9"), ("x", "No version 'x'"), ("-1", "No version '-1'")],
)
def test_a_version_that_does_not_exist_is_a_404_saying_so(which, message):
    with pytest.raises(Http404, match=message):
        edition_for(None, Provider.objects.get(slug="singlestore"), which)


def test_editors_see_the_draft_by_default_where_they_edit_and_others_the_latest(users):
    singlestore = Provider.objects.get(slug="singlestore")
    assert default_which(users["editor"], singlestore, editing=True) == "draft"
    assert default_which(users["editor"], singlestore) == "latest"
    assert default_which(users["auditor"], singlestore, editing=True) == "latest"
    assert default_which(None, singlestore, editing=True) == "latest"


def test_a_provider_never_published_shows_its_draft_to_its_readers_and_nothing_to_viewers(users):
    unpublished = small_provider("unpublished", published=False)
    role_set(actor=None, provider=unpublished, principal=users["viewer"], role=Role.VIEWER)
    role_set(actor=None, provider=unpublished, principal=users["auditor"], role=Role.AUDITOR)
    assert edition_for(users["auditor"], unpublished).is_draft
    with pytest.raises(Http404, match="Nothing is published yet"):
        edition_for(users["viewer"], unpublished)
    with pytest.raises(Http404, match="Nothing is published yet"):
        edition_for(users["auditor"], unpublished, "latest")


def test_the_tabs_list_the_offerings_of_the_edition_each_reader_sees(users):
    singlestore = Provider.objects.get(slug="singlestore")
    offering_create(
        actor=users["editor"], provider=singlestore, name="Edge", slug="edge", kind="byoc"
    )
    published = [o["slug"] for o in offerings_seen(None, [singlestore])[singlestore.pk]]
    assert published == ["self-managed", "helios", "helios-byoc"]
    # Outside the editing pages, even an editor's tabs show what is published.
    assert (
        offerings_seen(users["editor"], [singlestore])[singlestore.pk]
        == offerings_seen(None, [singlestore])[singlestore.pk]
    )


def test_published_editions_are_the_latest_of_each_provider_by_name(users):
    editions = published_editions(Provider.objects.restrict(None))
    by_name = ["astronomer", "clickhouse", "singlestore", "template"]
    assert [e.provider.slug for e in editions] == by_name
    assert all(e.is_latest and not e.is_draft for e in editions)
