"""The public browsing pages: what they show, what they refuse, and how they escape."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from matrices.models import Cell, Duty, Ownership, Party, Provider
from tests.factories import publish, small_provider

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_lists_every_provider_with_its_offerings(client):
    html = html_of(client.get("/"))
    for provider in Provider.objects.prefetch_related("offerings"):
        assert provider.get_absolute_url() in html
        for offering in provider.offerings.all():
            assert offering.get_absolute_url() in html
    assert 'role="search"' in html


def test_matrix_shows_domains_as_rows_with_anchors_and_offerings_as_column_groups(
    client, singlestore
):
    html = html_of(client.get(singlestore.get_absolute_url()))
    for domain in singlestore.domains.all():
        assert f'id="d-{domain.slug}"' in html
    assert html.count('scope="colgroup"') == singlestore.offerings.count()
    assert html.count('scope="row"') == singlestore.domains.count()


def test_matrix_shows_ownership_as_text_not_only_colour(client, singlestore):
    html = html_of(client.get(singlestore.get_absolute_url()))
    badges = re.findall(r'<span class="own own--([a-z-]+)"[^>]*>([^<]+)</span>', html)
    assert badges, "no ownership badge rendered"
    assert all(label.strip() for _, label in badges)
    assert {css for css, _ in badges} >= {"customer", "shared", "na"}


def test_matrix_has_a_legend_and_links_every_source(client, clickhouse):
    html = html_of(client.get(clickhouse.get_absolute_url()))
    for ownership in Ownership:
        assert ownership.label in html
    for source in clickhouse.sources.all():
        assert f'href="{source.url}"' in html


def test_matrix_marks_advanced_and_scoped_duties(client, clickhouse):
    html = html_of(client.get(clickhouse.get_absolute_url()))
    assert 'class="tag tag--advanced"' in html
    assert "Cloud Console</span>" in html
    assert "Database service</span>" in html


def test_offering_page_shows_each_party_side_by_side(client, singlestore):
    offering = singlestore.offerings.get(slug="helios-byoc")
    html = html_of(client.get(offering.get_absolute_url()))
    assert "What do I have to do on SingleStore Helios BYOC?" in html
    for party in singlestore.parties.all():
        assert f">{party.name}</th>" in html
    assert "Not applicable" in html  # the management API row


def test_checklist_lists_only_the_customers_duties(client, singlestore):
    offering = singlestore.offerings.get(slug="helios")
    html = html_of(client.get(reverse("matrices:checklist", args=["singlestore", "helios"])))
    customer_duties = Duty.objects.filter(
        cell__offering=offering, party__role="customer", not_applicable=False
    )
    provider_duties = Duty.objects.filter(cell__offering=offering, party__role="provider")
    assert html.count('type="checkbox"') == customer_duties.count()
    for duty in customer_duties:
        assert duty.text_html in html
    for duty in provider_duties:
        assert duty.text_html not in html


def test_checklist_is_printable(client):
    html = html_of(client.get(reverse("matrices:checklist", args=["singlestore", "helios"])))
    assert "data-print" in html
    css = (settings.BASE_DIR / "static/matrices/portal.css").read_text(encoding="utf-8")
    assert "@media print" in css


def test_checklist_names_domains_with_nothing_for_the_customer(client):
    html = html_of(client.get(reverse("matrices:checklist", args=["singlestore", "helios-byoc"])))
    section = html.split("Nothing required from the customer", 1)[1]
    assert "(Management) API controls and access" in section


def test_compare_marks_the_rows_that_differ(client, singlestore):
    url = reverse("matrices:compare", args=["singlestore"])
    html = html_of(client.get(url, {"o": ["helios", "helios-byoc"]}))
    api_row = re.search(r'<tr id="d-management-api-controls-and-access" class="([^"]+)"', html)
    assert api_row
    assert api_row.group(1) == "row--differs"
    assert "Differs: ownership, customer duties" in html


def test_compare_keeps_rows_that_are_the_same_unmarked(client, singlestore):
    helios = singlestore.offerings.get(slug="helios")
    byoc = singlestore.offerings.get(slug="helios-byoc")
    # Make one row identical in both offerings, then it must not be marked.
    domain = singlestore.domains.get(slug="compliance")
    source = Cell.objects.get(offering=helios, domain=domain)
    target = Cell.objects.get(offering=byoc, domain=domain)
    target.duties.all().delete()
    target.ownership = source.ownership
    target.save()
    for duty in source.duties.all():
        Duty.objects.create(cell=target, party=duty.party, text=duty.text, position=duty.position)
    publish(singlestore)
    html = html_of(
        client.get(
            reverse("matrices:compare", args=["singlestore"]), {"o": ["helios", "helios-byoc"]}
        )
    )
    assert '<tr id="d-compliance" class="row--same">' in html


def test_compare_only_differences_hides_identical_rows(client):
    html = html_of(
        client.get(
            reverse("matrices:compare", args=["singlestore"]),
            {"o": ["helios", "helios-byoc"], "only_diff": "on"},
        )
    )
    assert 'class="matrix matrix--compare only-diff"' in html


def test_compare_asks_for_at_least_two_offerings(client):
    html = html_of(client.get(reverse("matrices:compare", args=["singlestore"]), {"o": "helios"}))
    assert "Pick at least two offerings to compare." in html
    assert "data-compare-table" not in html


def test_compare_ignores_offerings_of_other_providers(client):
    response = client.get(
        reverse("matrices:compare", args=["singlestore"]), {"o": ["helios", "cloud"]}
    )
    assert "Select a valid choice" in html_of(response)


def test_compare_explains_a_single_offering_provider_has_nothing_to_compare(client):
    html = html_of(client.get(reverse("matrices:compare", args=["clickhouse"])))
    assert "single offering" in html


@pytest.mark.parametrize(
    "url",
    [
        "/providers/nope/",
        "/providers/nope/compare/",
        "/providers/singlestore/offerings/nope/",
        "/providers/singlestore/offerings/nope/checklist/",
        "/providers/clickhouse/offerings/helios/",  # a real offering of another provider
    ],
)
def test_unknown_slugs_answer_404(client, url):
    assert client.get(url).status_code == 404


def test_pages_refuse_post(client):
    assert client.post("/providers/singlestore/").status_code == 405


def test_search_finds_duties_across_providers_and_highlights_the_match(client):
    html = html_of(client.get(reverse("matrices:search"), {"q": "encrypt"}))
    assert "<mark>" in html
    for slug in ("singlestore", "clickhouse", "astronomer"):
        assert f'id="hits-{slug}"' in html


def test_search_escapes_the_query_and_the_text(client, singlestore):
    cell = singlestore.cells.first()
    Duty.objects.create(cell=cell, party=singlestore.parties.first(), text="Use a < b tokens")
    publish(singlestore)
    html = html_of(client.get(reverse("matrices:search"), {"q": "< b"}))
    assert "Use a <mark>&lt; b</mark> tokens" in html
    assert 'value="&lt; b"' in html


def test_search_rejects_a_one_letter_query_with_a_message(client):
    html = html_of(client.get(reverse("matrices:search"), {"q": "a"}))
    assert "at least 2 characters" in html


def test_search_answers_htmx_with_the_results_partial_only(client):
    response = client.get(
        reverse("matrices:search"), {"q": "backup"}, headers={"HX-Request": "true"}
    )
    html = html_of(response)
    assert "<html" not in html
    assert "<mark>" in html


def test_duty_markup_is_rendered_sanitised_on_every_page(client, singlestore):
    cell = Cell.objects.get(offering__slug="helios", domain__slug="compliance")
    Duty.objects.create(
        cell=cell,
        party=Party.objects.get(provider=singlestore, role="customer"),
        text='<script>alert("x")</script>Keep **evidence** [here](javascript:alert(1))',
    )
    publish(singlestore)
    pages = [
        singlestore.get_absolute_url(),
        reverse("matrices:offering", args=["singlestore", "helios"]),
        reverse("matrices:checklist", args=["singlestore", "helios"]),
        reverse("matrices:compare", args=["singlestore"]),
    ]
    for url in pages:
        html = html_of(client.get(url))
        assert "<strong>evidence</strong>" in html, url
        assert "<script>alert" not in html, url
        assert 'href="javascript' not in html, url


def test_pages_forbid_third_party_and_inline_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_home_page_filters_providers_like_the_api(client):
    from matrices.models import Offering

    def listed(params) -> set[str]:
        html = client.get("/", params).content.decode()
        cards = html.split('id="providers"')[1].split("</section>")[0]
        return {
            slug
            for slug in ("singlestore", "clickhouse", "astronomer")
            if f"/providers/{slug}/" in cards
        }

    assert listed({"name": "click"}) == {"clickhouse"}
    Offering.objects.filter(provider__slug="astronomer").update(kind="self-managed")
    with_byoc = set(
        Offering.objects.filter(kind="byoc", provider__is_template=False).values_list(
            "provider__slug", flat=True
        )
    )
    api = client.get("/api/v1/providers/", {"kind": "byoc", "is_template": "false"}).json()
    assert listed({"kind": "byoc"}) == {p["slug"] for p in api["results"]} == with_byoc
    assert "astronomer" not in with_byoc


def test_an_invalid_home_filter_is_shown_and_not_applied(client):
    response = client.get("/", {"kind": "rented"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The filter was not applied." in html
    assert "/providers/astronomer/" in html


def test_home_cards_show_the_published_version_not_unpublished_offerings(client, users):
    from matrices.services import offering_create, party_create

    provider = Provider.objects.get(slug="singlestore")
    offering_create(
        actor=users["editor"], provider=provider, name="Secret Edge", slug="edge", kind="managed"
    )
    party_create(
        actor=users["editor"], provider=provider, name="Hidden Partner", role="third-party"
    )
    html = client.get("/").content.decode()
    assert "Secret Edge" not in html
    assert "Hidden Partner" not in html
    card = html.split('id="provider-singlestore"')[1].split("</article>")[0]
    assert "SingleStore Helios BYOC" in card
    assert "/providers/singlestore/offerings/helios-byoc/" in card
    assert "15 control domains · 2 parties: Customer, SingleStore" in card


def test_home_costs_the_same_queries_whatever_the_number_of_providers(client, elsewhere):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/")
    small_provider("elsewhere-two")
    small_provider("unpublished-one", published=False)
    with CaptureQueriesContext(connection) as more:
        client.get("/")
    assert len(more.captured_queries) == len(few.captured_queries)
