"""Celery tasks: thin, they load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from audit.context import acting_as
from matrices.models import MatrixVersion

# Below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS,
# one hour), so a task killed by the limit is not also redelivered as lost.
PDF_HARD_LIMIT = 600
IMPORT_HARD_LIMIT = 1800  # a 10,000-row file takes well under a minute


@shared_task(
    name="matrices.render_pdf",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=PDF_HARD_LIMIT,
    soft_time_limit=PDF_HARD_LIMIT - 30,
)
def render_pdf_document(document_id: int) -> str:
    # The services schedule this task (matrices.services.documents imports it
    # at the top); the task calls back into them. The one deferred import of
    # that pair is here, so importing the services never runs into this module
    # half-loaded, and the task stays a thin wrapper around ``pdf_render``.
    from matrices.services.documents import pdf_render

    with acting_as("task:render_pdf"):
        document = pdf_render(document_id)
    return document.status


@shared_task(name="matrices.run_import", acks_late=True, time_limit=IMPORT_HARD_LIMIT)
def run_import(job_id: int) -> str:
    # As above: the services queue it, and it calls back into them.
    from matrices.services.imports import import_run

    with acting_as("task:import"):
        job = import_run(job_id)
    return job.status


@shared_task(name="matrices.render_version_pdfs", acks_late=True)
def render_version_pdfs(version_id: int) -> int:
    # As above: queued by the publishing service, calling back into the services.
    from matrices.services.documents import version_pdfs_request

    with acting_as("task:render_version_pdfs"):
        documents = version_pdfs_request(version=MatrixVersion.objects.get(pk=version_id))
    return len(documents)
