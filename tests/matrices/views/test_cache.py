"""Published pages are served from a cache keyed by version, never stale after a publication."""

from __future__ import annotations

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matrices.models import Provider
from matrices.services import provider_delete, provider_set_visibility
from tests.factories import customer_duty_set, publish

pytestmark = pytest.mark.django_db


URL = "/providers/singlestore/"


def test_a_second_anonymous_request_is_served_from_the_cache(client):
    first = client.get(URL)
    assert first.headers["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL)
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # Whether it is public, and which version, is remembered with the page: the one query
    # records the read (the trust center's analytics).
    assert [query["sql"].split('"')[:2] for query in queries] == [
        ["INSERT INTO ", "trust_readevent"]
    ]


def test_a_new_publication_is_shown_at_once(client, users, django_capture_on_commit_callbacks):
    client.get(URL)
    customer_duty_set(None, "Freshly published duty.")
    provider = Provider.objects.get(slug="singlestore")
    with django_capture_on_commit_callbacks(execute=True):
        publish(provider)
    response = client.get(URL)
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Freshly published duty." in response.content.decode()


def test_signed_in_users_are_never_served_a_cached_page(client, users):
    client.get(URL)
    client.force_login(users["viewer"])
    response = client.get(URL)
    assert "X-Page-Cache" not in response.headers
    assert "demo-viewer" in response.content.decode()


def test_cached_pages_carry_no_csrf_token(client):
    client.get(reverse("matrices:offering", args=["singlestore", "helios"]))
    html = client.get(reverse("matrices:offering", args=["singlestore", "helios"])).content
    assert b"csrfmiddlewaretoken" not in html
    assert b"X-CSRFToken" not in html


@pytest.mark.parametrize("change", ["signed-in", "private", "deleted"])
def test_the_cache_never_serves_a_provider_that_stopped_being_public(
    client, users, change, django_capture_on_commit_callbacks
):
    """Through the services, as every change is made: the remembered answer is forgotten
    when the change commits."""
    client.get(URL)
    client.get(URL)  # served from the cache
    provider = Provider.objects.get(slug="singlestore")
    with django_capture_on_commit_callbacks(execute=True):
        if change == "deleted":
            provider_delete(actor=users["superuser"], provider=provider)
        else:
            provider_set_visibility(
                actor=users["admin"],
                provider=provider,
                visibility=change,
                expected_version=provider.version,
            )
    assert client.get(URL).status_code == 404


def test_a_browser_with_the_page_gets_304_and_one_that_takes_gzip_gets_it_compressed(client):
    first = client.get(URL)
    cached = client.get(URL)
    etag = cached["ETag"]
    assert client.get(URL, headers={"If-None-Match": etag}).status_code == 304
    compressed = client.get(URL, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == first.content
    assert "Accept-Encoding" in compressed["Vary"]
