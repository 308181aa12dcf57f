"""Requesting, generating and downloading PDFs: keys, permissions, stamps, audit."""

from __future__ import annotations

import pytest
from django.http import Http404

from matrices.models import PdfDocument, Provider
from matrices.selectors.editions import edition_for
from matrices.services.documents import pdf_render, pdf_request

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
