"""Data migrations: what they keep and what they remove."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import small_provider

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.fixture
def migrations_undone_after():
    """Whatever the test does to the schema, the next test gets the latest one."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_pdfs_stamped_for_one_reader_are_removed_with_their_files(migrations_undone_after):
    provider = small_provider("stamped")
    old = migrate(("matrices", "0006_import_jobs"))
    PdfDocument = old.get_model("matrices", "PdfDocument")
    made = {}
    for label, stamp in (("personal", "Downloaded by Someone (someone)"), ("shared", "")):
        name = default_storage.save(f"pdfs/{label}.pdf", ContentFile(b"%PDF-1.7"))
        made[label] = PdfDocument.objects.create(
            provider_id=provider.pk,
            version_id=provider.published_id,
            snapshot_hash="a" * 64,
            variant="matrix",
            key=label.ljust(64, "k"),
            status="ready",
            stamp=stamp,
            file=name,
        )
    new = migrate(("matrices", "0007_pdf_stamp_at_download"))
    kept = new.get_model("matrices", "PdfDocument").objects.values_list("pk", flat=True)
    assert list(kept) == [made["shared"].pk]
    assert not default_storage.exists(made["personal"].file.name)
    assert default_storage.exists(made["shared"].file.name)
