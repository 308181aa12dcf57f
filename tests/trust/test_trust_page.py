"""The public trust-center page: who sees it, what it lists, and what it offers each
visitor (request access, accept the NDA, read until when)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.access import offerings_limit
from accounts.models import ProviderUserRole
from accounts.roles import Role
from matrices.models import Provider
from tests.trust.access_kit import private_with_trust_center
from trust.grants import grant_create
from trust.models import TrustCenter

pytestmark = pytest.mark.django_db

PAGE = "/trust/singlestore/"


@pytest.fixture
def provider(db) -> Provider:
    return private_with_trust_center(introduction="We share **everything** under NDA.")


def test_a_private_provider_with_its_trust_center_on_shows_its_page_to_anyone(client, provider):
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "SingleStore" in page
    assert "<strong>everything</strong>" in page
    assert f"Current version <strong>{provider.published.number}</strong>" in page
    assert 'href="/trust/singlestore/request/"' in page
    # Subscribing is for those who may read: an outsider would find no page behind it.
    assert 'href="/trust/singlestore/subscribe/"' not in page
    assert "access needed" in page
    assert "open to you" not in page
    assert "SingleStore Helios" in page
    assert "/pdf/" not in page  # no document link for a visitor without access


def test_a_private_provider_without_a_trust_center_is_not_found(client, users):
    provider = Provider.objects.get(slug="singlestore")
    private_with_trust_center()
    TrustCenter.objects.filter(provider=provider).update(enabled=False)
    assert client.get(PAGE).status_code == 404
    client.force_login(users["outsider"])
    assert client.get(PAGE).status_code == 404
    assert client.get("/api/v1/trust/singlestore/").status_code == 404


def test_a_reader_of_the_provider_sees_the_page_without_a_trust_center(client, users):
    private_with_trust_center()
    TrustCenter.objects.filter(provider__slug="singlestore").update(enabled=False)
    client.force_login(users["viewer"])
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "open to you" in page
    assert "access needed" not in page
    assert "Request access" not in page


def test_a_public_provider_shows_every_document_open(client):
    response = client.get("/trust/clickhouse/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Everything here is public." in page
    assert "/providers/clickhouse/pdf/?variant=matrix" in page
    assert "variant=checklist" in page
    assert "Request access" not in page


def test_the_introduction_is_rendered_safely(client, provider):
    provider.trust_center.introduction = "Hi <script>alert(1)</script> [x](javascript:alert(1))"
    provider.trust_center.save()
    page = client.get(PAGE).content.decode()
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page


def test_a_reader_with_a_grant_sees_until_when_and_the_documents_of_their_offerings(
    client, provider, users
):
    reader = users["outsider"]
    helios = provider.offerings.get(slug="helios")
    until = timezone.now() + timedelta(days=5)
    grant_create(actor=None, provider=provider, user=reader, expires_at=until, offerings=[helios])
    client.force_login(reader)
    page = client.get(PAGE).content.decode()
    assert "You may read SingleStore until" in page
    assert "variant=offering&amp;version=" in page
    assert "offering=helios" in page
    assert "offering=self-managed" not in page
    assert "Request access" not in page


def test_what_the_page_opens_is_what_the_access_rules_let_the_reader_read(client, provider, users):
    """A grant limited to Helios, and a group that reads all of SingleStore: the access
    rules open every offering to them, and so does the page."""
    reader = users["outsider"]
    helios = provider.offerings.get(slug="helios")
    until = timezone.now() + timedelta(days=5)
    grant_create(actor=None, provider=provider, user=reader, expires_at=until, offerings=[helios])
    team = Group.objects.create(name="singlestore-readers")
    assign_perm(f"matrices.{Role.VIEWER.codename}", team, provider)
    reader.groups.add(team)
    assert offerings_limit(reader, provider) is None
    client.force_login(reader)
    page = client.get(PAGE).content.decode()
    assert "offering=self-managed" in page
    assert "variant=matrix" in page


def test_a_reader_waiting_for_the_nda_is_sent_to_accept_it(client, provider, users):
    reader = users["outsider"]
    grant_create(
        actor=None, provider=provider, user=reader, expires_at=timezone.now() + timedelta(days=5)
    )
    ProviderUserRole.objects.filter(user=reader, content_object=provider).update(
        needs_agreement=True
    )
    client.force_login(reader)
    page = client.get(PAGE).content.decode()
    assert 'href="/trust/singlestore/nda/"' in page
    assert "Accept the NDA to read" in page
    assert "Request access" not in page


def test_the_api_says_what_the_page_says(client, provider, users):
    body = client.get("/api/v1/trust/singlestore/").json()
    assert body["provider"] == {"slug": "singlestore", "name": "SingleStore"}
    assert body["can_read"] is False
    assert body["may_request"] is True
    assert body["matrix"] == []
    assert {o["slug"] for o in body["offerings"]} >= {"helios"}
    assert all(not o["open"] and o["documents"] == [] for o in body["offerings"])
    assert body["version"]["number"] == provider.published.number
    client.force_login(users["viewer"])
    body = client.get("/api/v1/trust/singlestore/").json()
    assert body["can_read"] is True
    assert body["matrix"]


def test_the_index_lists_enabled_trust_centers_and_what_the_visitor_reads(client, provider):
    page = client.get("/trust/").content.decode()
    assert 'href="/trust/singlestore/"' in page
    assert 'href="/trust/clickhouse/"' in page  # public
    TrustCenter.objects.filter(provider=provider).update(enabled=False)
    assert 'href="/trust/singlestore/"' not in client.get("/trust/").content.decode()


def test_the_team_sees_a_trust_center_tab(client, users):
    client.force_login(users["trust_manager"])
    assert (
        'href="/providers/singlestore/trust/"'
        in client.get("/providers/singlestore/").content.decode()
    )
    client.force_login(users["editor"])
    assert (
        'href="/providers/singlestore/trust/"'
        not in client.get("/providers/singlestore/").content.decode()
    )
