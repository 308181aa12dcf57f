"""Every read of published content is recorded once, as what, by whom, from which company;
reads of the draft and refused reads are not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Visibility
from matrices.models import Provider
from trust.grants import grant_create
from trust.models import AccessGrant, AccessRequest, ReadEvent

pytestmark = pytest.mark.django_db

P = "singlestore"
API = f"/api/v1/providers/{P}"


def recorded() -> list[tuple]:
    return list(
        ReadEvent.objects.order_by("pk").values_list(
            "document", "kind", "reader", "company", "version_number"
        )
    )


@pytest.fixture
def reader(users, singlestore):
    """An outside reader from Acme with a live grant on SingleStore (made private)."""
    Provider.objects.filter(pk=singlestore.pk).update(visibility=Visibility.PRIVATE)
    person = get_user_model().objects.create_user(
        "reader", email="reader@acme.example", password="x-Pass-12345"
    )
    grant_create(
        actor=users["admin"],
        provider=singlestore,
        user=person,
        company="Acme <Corp>",
        expires_at=timezone.now() + timedelta(days=30),
    )
    return person


PAGES = [
    (reverse("matrices:provider", args=[P]), "matrix"),
    (reverse("matrices:offering", args=[P, "helios"]), "offering:helios"),
    (reverse("matrices:checklist", args=[P, "helios"]), "checklist:helios"),
    (reverse("matrices:compare", args=[P]), "compare"),
]


@pytest.mark.parametrize(("url", "document"), PAGES)
def test_it_records_one_view_of_each_page_of_a_published_version(as_user, url, document):
    response = as_user("viewer").get(url)
    assert response.status_code == 200
    assert recorded() == [(document, "view", "demo-viewer", "", 1)]


@pytest.mark.parametrize(("url", "document"), PAGES)
def test_it_records_a_visitors_view_served_from_the_page_cache(client, url, document):
    first = client.get(url)
    again = client.get(url)
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert recorded() == [(document, "view", "", "", 1)] * 2


def test_a_304_of_a_cached_page_counts_as_a_view(client):
    url = reverse("matrices:provider", args=[P])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert len(recorded()) == 2


def test_a_head_request_records_nothing(client, as_user):
    assert client.head(reverse("matrices:provider", args=[P])).status_code == 200
    assert as_user("viewer").head(reverse("matrices:compare", args=[P])).status_code == 200
    assert recorded() == []


def test_reads_of_the_draft_record_nothing(as_user):
    client = as_user("editor")
    assert client.get(reverse("matrices:provider", args=[P])).status_code == 200  # the draft
    assert (
        client.get(reverse("matrices:offering", args=[P, "helios"]) + "?view=draft").status_code
        == 200
    )
    assert (
        client.get(reverse("matrices:export", args=[P, "csv"]) + "?version=draft").status_code
        == 200
    )
    assert client.get(f"{API}/matrix/?version=draft").status_code == 200
    assert client.get(f"{API}/export.json?version=draft").status_code == 200
    assert recorded() == []


def test_refused_and_missing_reads_record_nothing(as_user, reader):
    assert as_user("outsider").get(reverse("matrices:provider", args=[P])).status_code == 404
    client = as_user("viewer")
    assert client.get(reverse("matrices:offering", args=[P, "nope"])).status_code == 404
    assert client.get(reverse("matrices:export", args=[P, "pdfx"])).status_code == 404
    assert client.get(f"{API}/matrix/?version=99").status_code == 404
    assert recorded() == []


@pytest.mark.parametrize("fmt", ["csv", "json", "oscal-component.json"])
def test_an_export_records_one_download_on_the_page_and_over_the_api(as_user, fmt):
    client = as_user("viewer")
    assert client.get(reverse("matrices:export", args=[P, fmt])).status_code == 200
    assert client.get(f"{API}/export.{fmt}").status_code == 200
    assert recorded() == [(f"export:{fmt}", "download", "demo-viewer", "", 1)] * 2


def test_an_api_read_of_the_matrix_records_one_view_and_a_304_none(as_user):
    client = as_user("viewer")
    response = client.get(f"{API}/matrix/")
    assert response.status_code == 200
    assert (
        client.get(f"{API}/matrix/", headers={"If-None-Match": response["ETag"]}).status_code == 304
    )
    assert client.get(f"{API}/versions/1/").status_code == 200
    assert client.get(f"{API}/versions/").status_code == 200  # a list of versions: no content
    assert recorded() == [
        ("api:matrix", "view", "demo-viewer", "", 1),
        ("api:version", "view", "demo-viewer", "", 1),
    ]


def test_a_readers_company_comes_from_their_live_grant(client, reader):
    client.force_login(reader)
    assert client.get(reverse("matrices:offering", args=[P, "helios"])).status_code == 200
    assert recorded() == [("offering:helios", "view", "reader@acme.example", "Acme <Corp>", 1)]
    assert ReadEvent.objects.get().user == reader


def test_a_grant_without_a_company_takes_its_requests(client, reader, singlestore):
    request = AccessRequest.objects.create(
        provider=singlestore,
        name="Reader",
        email="reader@acme.example",
        company="Acme from the request",
        purpose="Due diligence",
        digest="x" * 64,
    )
    AccessGrant.objects.filter(user=reader).update(company="", request=request)
    client.force_login(reader)
    client.get(reverse("matrices:provider", args=[P]))
    assert recorded()[0][3] == "Acme from the request"


def test_an_ended_grant_names_no_company(client, reader, singlestore, users):
    # Still a reader through another way (a viewer role of their own): no company to name.
    AccessGrant.objects.filter(user=reader).update(ended_at=timezone.now())
    Provider.objects.filter(pk=singlestore.pk).update(visibility=Visibility.PUBLIC)
    client.force_login(reader)
    assert client.get(reverse("matrices:provider", args=[P])).status_code == 200
    assert recorded() == [("matrix", "view", "reader@acme.example", "", 1)]


@pytest.mark.usefixtures("tasks_in_process")
def test_a_pdf_download_records_one_download_on_the_page_and_over_the_api(as_user, elsewhere):
    client = as_user("viewer")
    start = reverse("matrices:pdf_start", args=[elsewhere.slug])
    client.get(start, {"variant": "offering", "offering": "hosted"})
    document = elsewhere.pdfs.get()
    assert (
        client.get(reverse("matrices:pdf_download", args=[elsewhere.slug, document.pk])).status_code
        == 200
    )
    api = f"/api/v1/providers/{elsewhere.slug}/pdfs/{document.pk}/download/"
    assert client.get(api).status_code == 200
    assert recorded() == [("pdf:offering:hosted", "download", "demo-viewer", "", 1)] * 2


@pytest.mark.usefixtures("tasks_in_process")
def test_a_draft_pdf_download_records_nothing(as_user, users):
    client = as_user("editor")
    start = reverse("matrices:pdf_start", args=[P])
    client.get(start, {"variant": "matrix", "version": "draft"})
    document = Provider.objects.get(slug=P).pdfs.get()
    assert document.version is None
    assert client.get(reverse("matrices:pdf_download", args=[P, document.pk])).status_code == 200
    assert recorded() == []
