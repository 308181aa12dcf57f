"""Requesting, generating and downloading PDFs: keys, permissions, stamps, audit."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from matrices.models import PdfDocument, Provider
from matrices.selectors.editions import edition_for
from matrices.services.documents import pdf_render, pdf_request

pytestmark = pytest.mark.django_db


P = "singlestore"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def render_in_process(monkeypatch):
    """These tests run in a transaction that never commits, which a worker could not see:
    on-commit work runs at once and the rendering task runs here (test_celery.py covers
    the real worker)."""
    from django.db import transaction

    from matrices import tasks

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    monkeypatch.setattr(
        tasks.render_pdf_document, "delay", lambda pk: tasks.render_pdf_document.apply(args=(pk,))
    )


def start(client, **params):
    return client.get(reverse("matrices:pdf_start", args=[P]), {"version": "1", **params})


def test_rendering_is_idempotent(client):
    start(client, variant="checklist", offering="helios-byoc")
    document = PdfDocument.objects.get()
    assert pdf_render(document.pk).finished_at == document.finished_at


def test_pdf_request_refuses_an_unpublished_provider(users):
    provider = Provider.objects.create(name="Nothing yet", slug="nothing-yet")
    with pytest.raises(Http404, match=r"Nothing is published"):
        pdf_request(
            actor=users["superuser"],
            edition=edition_for(users["superuser"], provider, "latest"),
            variant="matrix",
        )
