"""Every page costs a fixed number of SQL queries, whatever the size of the matrix."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matrices.demo.synthetic import synthetic_provider_create
from tests.factories import publish

pytestmark = pytest.mark.django_db


MAX_QUERIES = 10


@pytest.fixture
def synthetic():
    provider = synthetic_provider_create(domains=200, offerings=6, parties=3)
    publish(provider)
    return provider


def pages(slug: str, offering: str, others: list[str]) -> dict[str, tuple[str, dict]]:
    return {
        "matrix": (reverse("matrices:provider", args=[slug]), {}),
        "offering": (reverse("matrices:offering", args=[slug, offering]), {}),
        "checklist": (reverse("matrices:checklist", args=[slug, offering]), {}),
        "compare": (reverse("matrices:compare", args=[slug]), {"o": [offering, *others]}),
    }


def count_queries(client, url: str, params: dict) -> int:
    """SQL queries of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_the_synthetic_matrix_is_the_size_the_benchmark_claims(synthetic):
    assert synthetic.cells.count() == 200 * 6
    assert (
        synthetic.domains.count() * synthetic.offerings.count() * synthetic.parties.count() == 3600
    )


@pytest.mark.parametrize("view", ["published", "draft"])
@pytest.mark.parametrize("page", ["matrix", "offering", "checklist", "compare"])
def test_a_page_makes_as_many_queries_for_200_domains_as_for_singlestore(
    client, users, synthetic, page, view
):
    if view == "draft":
        client.force_login(users["superuser"])
    small_url, small_params = pages("singlestore", "helios", ["helios-byoc"])[page]
    small_params = {**small_params, "view": view}
    big_url, big_params = pages(
        synthetic.slug, "offering-1", [f"offering-{i}" for i in range(2, 7)]
    )[page]
    big_params = {**big_params, "view": view}
    small = count_queries(client, small_url, small_params)
    big = count_queries(client, big_url, big_params)
    assert big == small
    assert small <= MAX_QUERIES


def test_home_makes_a_fixed_number_of_queries_whatever_the_number_of_providers(client):
    home = count_queries(client, "/", {})
    for index in range(3):
        synthetic_provider_create(slug=f"synthetic-{index}", domains=2, offerings=2, parties=2)
    assert count_queries(client, "/", {}) == home


def test_search_makes_as_many_queries_for_one_hit_as_for_a_hundred(client, synthetic):
    url = reverse("matrices:search")
    one_hit = count_queries(client, url, {"q": "JWKS"})  # a single SingleStore duty
    many_hits = count_queries(client, url, {"q": "keys"})  # capped at SEARCH_LIMIT
    assert one_hit == many_hits
