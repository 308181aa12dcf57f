"""Published pages are served from a cache keyed by version, never stale after a publication."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matrices.models import Provider
from tests.factories import customer_duty_set, publish

pytestmark = pytest.mark.django_db


URL = "/providers/singlestore/"


def test_a_second_anonymous_request_is_served_from_the_cache(client):
    first = client.get(URL)
    assert "X-Page-Cache" not in first.headers
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL)
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 1  # is it public, and which version is published


def test_a_new_publication_is_shown_at_once(client, users):
    client.get(URL)
    customer_duty_set(None, "Freshly published duty.")
    provider = Provider.objects.get(slug="singlestore")
    publish(provider)
    response = client.get(URL)
    assert "X-Page-Cache" not in response.headers
    assert "Freshly published duty." in response.content.decode()


def test_signed_in_users_are_never_served_a_cached_page(client, users):
    client.get(URL)
    client.force_login(users["viewer"])
    response = client.get(URL)
    assert "X-Page-Cache" not in response.headers
    assert "demo-viewer" in response.content.decode()


def test_a_provider_made_private_is_not_served_from_the_cache(client):
    client.get(URL)
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    assert client.get(URL).status_code == 404


def test_cached_pages_carry_no_csrf_token(client):
    client.get(reverse("matrices:offering", args=["singlestore", "helios"]))
    html = client.get(reverse("matrices:offering", args=["singlestore", "helios"])).content
    assert b"csrfmiddlewaretoken" not in html
    assert b"X-CSRFToken" not in html


@pytest.mark.parametrize("change", ["signed-in", "private", "unpublished"])
def test_the_cache_never_serves_a_provider_that_stopped_being_public(client, change):
    client.get(URL)
    if change == "unpublished":
        Provider.objects.filter(slug="singlestore").update(published=None)
    else:
        Provider.objects.filter(slug="singlestore").update(visibility=change)
    assert client.get(URL).status_code == 404
