"""A reader given some offerings reads those only: on every page, export, PDF and API
endpoint, the other offerings' names and duties never reach them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import Visibility
from matrices.models import MatrixVersion, Offering, PdfDocument, Provider
from matrices.selectors.editions import edition_for
from matrices.services import axis_update
from matrices.services.documents import pdf_render, pdf_request
from matrices.snapshot import snapshot_hash
from tests.factories import customer_duty_set, publish
from tests.test_confidentiality import api_urls, crawl, text_of
from trust.grants import grant_create
from trust.models import Subscription, SubscriptionNotice
from trust.notices import subscribers_notify

pytestmark = pytest.mark.django_db

SEEN, HIDDEN, HIDDEN_NAME = "quokkaseen", "quokkahidden", "quokkaname"
# The trust center's own page lists every published offering by name (what one may ask to
# read); only the matrix's content is held back there.
TRUST_CENTER = ("/trust/", "/api/v1/trust/")


@pytest.fixture
def limited_reader(users, singlestore):
    """A reader of private SingleStore given Helios only; its version 2 holds a word in
    Helios (seen) and, in the other offerings, another (hidden)."""
    editor = users["editor"]
    customer_duty_set(editor, f"Rotate the {SEEN} keys.", offering="helios")
    customer_duty_set(editor, f"Rotate the {HIDDEN} keys.", offering="self-managed")
    byoc = Offering.objects.get(provider=singlestore, slug="helios-byoc")
    axis_update(
        actor=editor,
        obj=byoc,
        expected_version=byoc.version,
        changes={"name": f"BYOC {HIDDEN_NAME}"},
    )
    publish(singlestore)
    Provider.objects.filter(pk=singlestore.pk).update(visibility=Visibility.PRIVATE)
    singlestore.refresh_from_db()
    reader = get_user_model().objects.create_user("lim", "lim@customer.example")
    grant_create(
        actor=users["admin"],
        provider=singlestore,
        user=reader,
        expires_at=timezone.now() + timedelta(days=3),
        offerings=[Offering.objects.get(provider=singlestore, slug="helios")],
    )
    return reader


SEEDS = [
    "/",
    "/search/?q=quokka",
    "/providers/singlestore/",
    "/providers/singlestore/compare/?o=helios&o=self-managed&o=helios-byoc",
    "/providers/singlestore/offerings/self-managed/",
    "/providers/singlestore/versions/1/diff/2/",
]


def test_a_limited_reader_never_gets_the_other_offerings(limited_reader, client, tasks_in_process):
    client.force_login(limited_reader)
    pages, _ = crawl(client, SEEDS, until_canary=False)
    assert pages["/providers/singlestore/offerings/self-managed/"] == 404
    seen_anywhere, leaks = False, []
    urls = [url for url, status in pages.items() if status == 200]
    urls += [url for url in api_urls() if "singlestore" in url]
    for url in urls:
        response = client.get(url)
        text = text_of(response).lower()
        seen_anywhere |= SEEN in text
        if HIDDEN in text or (HIDDEN_NAME in text and not url.startswith(TRUST_CENTER)):
            leaks.append(url)
    # PDFs: every one this reader may download is made from what they see.
    for document in PdfDocument.objects.filter(provider__slug="singlestore", version__number=2):
        pdf_render(document.pk)
        response = client.get(f"/providers/singlestore/pdf/{document.pk}/download/")
        if response.status_code == 200:
            seen_anywhere |= SEEN in text_of(response).lower()
            if HIDDEN in text_of(response).lower() or HIDDEN_NAME in text_of(response).lower():
                leaks.append(f"pdf {document.pk}")
    assert seen_anywhere  # the crawl reached the content the reader may read
    assert leaks == []


def test_a_whole_matrix_pdf_made_for_others_is_404_to_a_limited_reader(
    limited_reader, users, client
):
    whole = pdf_request(
        actor=users["viewer"],
        edition=edition_for(users["viewer"], Provider.objects.get(slug="singlestore")),
        variant="matrix",
    )
    pdf_render(whole.pk)
    client.force_login(limited_reader)
    assert client.get(f"/providers/singlestore/pdf/{whole.pk}/download/").status_code == 404
    client.force_login(users["viewer"])
    assert client.get(f"/providers/singlestore/pdf/{whole.pk}/download/").status_code == 200


def test_the_publication_notice_tells_a_limited_reader_of_their_offerings_only(
    limited_reader, users, singlestore, mail
):
    Subscription.objects.create(
        provider=singlestore,
        email=limited_reader.email,
        user=limited_reader,
        digest="0" * 64,
        confirmed_at=timezone.now(),
    )
    editor = users["editor"]
    customer_duty_set(editor, f"Patch the {SEEN} hosts.", offering="helios")
    customer_duty_set(editor, f"Patch the {HIDDEN} hosts.", offering="self-managed")
    version = publish(singlestore)
    assert subscribers_notify(version_id=version.pk) == 1
    (message,) = mail.wait_for(limited_reader.email)
    parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
    whole = " ".join([message["Subject"], *parts]).lower()
    hidden_offering = Offering.objects.get(provider=singlestore, slug="self-managed").name
    assert SEEN in whole
    assert HIDDEN not in whole
    assert hidden_offering.lower() not in whole


def test_the_version_api_gives_a_limited_reader_their_snapshot_and_its_own_hash(
    limited_reader, client
):
    client.force_login(limited_reader)
    body = client.get("/api/v1/providers/singlestore/versions/2/").json()
    assert [o["slug"] for o in body["snapshot"]["offerings"]] == ["helios"]
    assert body["snapshot_hash"] == snapshot_hash(body["snapshot"])
    whole = MatrixVersion.objects.get(provider__slug="singlestore", number=2)
    assert body["snapshot_hash"] != whole.snapshot_hash


def test_a_notice_task_run_again_emails_no_one_twice(limited_reader, users, singlestore, mail):
    Subscription.objects.create(
        provider=singlestore,
        email=limited_reader.email,
        user=limited_reader,
        digest="1" * 64,
        confirmed_at=timezone.now(),
    )
    customer_duty_set(users["editor"], "Patch the hosts monthly.", offering="helios")
    version = publish(singlestore)
    assert subscribers_notify(version_id=version.pk) == 1
    assert subscribers_notify(version_id=version.pk) == 0
    assert len(mail.wait_for(limited_reader.email)) == 1
    assert SubscriptionNotice.objects.get().version == version
