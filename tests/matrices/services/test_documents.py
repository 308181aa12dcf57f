"""Requesting, generating and downloading PDFs: keys, permissions, stamps, audit."""

from __future__ import annotations

import pytest
from django.http import Http404

from matrices.models import PdfDocument, Provider
from matrices.selectors.editions import edition_for
from matrices.services import draft_approve
from matrices.services.documents import pdf_render, pdf_request
from tests.factories import submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


P = "singlestore"


def test_rendering_is_idempotent(users):
    viewer = users["viewer"]
    edition = edition_for(viewer, Provider.objects.get(slug=P), "latest")
    document = pdf_request(actor=viewer, edition=edition, variant="checklist", offering="helios")
    document.refresh_from_db()
    assert document.status == PdfDocument.Status.READY
    assert pdf_render(document.pk).finished_at == document.finished_at


def test_pdf_request_refuses_an_unpublished_provider(users):
    provider = Provider.objects.create(name="Nothing yet", slug="nothing-yet")
    with pytest.raises(Http404, match=r"Nothing is published"):
        pdf_request(
            actor=users["superuser"],
            edition=edition_for(users["superuser"], provider, "latest"),
            variant="matrix",
        )


def test_publishing_renders_every_pdf_of_the_new_version(users, singlestore_edited, settings):
    settings.PDFS_AT_PUBLICATION = True
    submission = submit(users, singlestore_edited)
    version = draft_approve(
        actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
    )
    offerings = [o["slug"] for o in version.snapshot["offerings"]]
    documents = PdfDocument.objects.filter(version=version)
    assert sorted((d.variant, d.offering) for d in documents) == sorted(
        [("matrix", "")]
        + [(variant, o) for o in offerings for variant in ("checklist", "offering")]
    )
    assert {(d.status, d.requested_by_id) for d in documents} == {("ready", None)}
    # The first reader gets the stored file: no new document, no new rendering.
    singlestore_edited.refresh_from_db()
    edition = edition_for(users["viewer"], singlestore_edited, "latest")
    assert edition.version == version
    document = pdf_request(actor=users["viewer"], edition=edition, variant="matrix")
    assert document.pk in {d.pk for d in documents}
    assert PdfDocument.objects.count() == len(documents)


def test_without_a_worker_publishing_leaves_pdfs_to_their_first_reader(
    users, singlestore_edited, settings
):
    settings.PDFS_AT_PUBLICATION = False
    submission = submit(users, singlestore_edited)
    draft_approve(
        actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
    )
    assert not PdfDocument.objects.exists()
