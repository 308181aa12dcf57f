"""The Atom feed of a public provider's versions, and nothing of a gated one."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from accounts.roles import Visibility
from matrices.models import Provider
from tests.factories import customer_duty_set, publish, small_provider

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[dict[str, str]]:
    root = ElementTree.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "id": entry.findtext(f"{ATOM}id"),
            "published": entry.findtext(f"{ATOM}published"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "link": entry.find(f"{ATOM}link").get("href"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_lists_each_published_version_of_a_public_provider(client, users, singlestore):
    customer_duty_set(users["editor"], "Keep evidence for the auditors.")
    newest = publish(singlestore, summary="Evidence is the customer's.")
    response = client.get(reverse("trust:feed", args=["singlestore"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    found = entries(response)
    numbers = list(singlestore.versions.order_by("-number").values_list("number", flat=True))
    assert [e["title"] for e in found] == [f"Version {n}" for n in numbers]
    first = found[0]
    assert first["summary"] == "Evidence is the customer's."
    assert first["link"].endswith(newest.get_absolute_url())
    assert first["published"].startswith(f"{newest.published_at:%Y-%m-%d}")
    assert len({e["id"] for e in found}) == len(found)
    assert all(e["id"].startswith("tag:") for e in found)


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.SIGNED_IN])
@pytest.mark.parametrize("who", [None, "viewer", "admin", "superuser"])
def test_the_feed_of_a_gated_provider_is_not_found_to_anyone(as_user, singlestore, visibility, who):
    Provider.objects.filter(pk=singlestore.pk).update(visibility=visibility)
    response = as_user(who).get(reverse("trust:feed", args=["singlestore"]))
    assert response.status_code == 404
    assert b"Version" not in response.content


def test_the_feed_of_an_unpublished_or_unknown_provider_is_not_found(client, db):
    small_provider("draft-only", published=False)
    assert client.get(reverse("trust:feed", args=["draft-only"])).status_code == 404
    assert client.get(reverse("trust:feed", args=["no-such"])).status_code == 404


def test_the_feed_refuses_writes(client, singlestore):
    assert client.post(reverse("trust:feed", args=["singlestore"])).status_code == 405


def test_the_matrix_page_names_the_feed_only_for_a_public_provider(as_user, singlestore):
    link = b'rel="alternate" type="application/atom+xml"'
    assert link in as_user(None).get(singlestore.get_absolute_url()).content
    Provider.objects.filter(pk=singlestore.pk).update(visibility=Visibility.PRIVATE)
    page = as_user("admin").get(singlestore.get_absolute_url())
    assert page.status_code == 200
    assert link not in page.content
