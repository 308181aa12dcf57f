"""Stored files (PDFs, imported files) in the folder or in an S3-compatible bucket.

The same flows run against both: the folder (MEDIA_ROOT, the default) and a bucket
on moto's S3-protocol server running in its own process.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from matrices.exchange.files import write_csv
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import ImportJob, PdfDocument, Provider
from matrices.snapshot import snapshot_build
from tests.matrices.pdf import pdftools
from tests.servers import ROOT, s3_client, s3_storage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]

P = "singlestore"


@pytest.fixture(params=["folder", "bucket"])
def stored(request, settings):
    """Where files go, and a function listing what is stored there."""
    if request.param == "folder":
        root = settings.MEDIA_ROOT

        def names() -> set[str]:
            return {
                os.path.relpath(os.path.join(folder, name), root)
                for folder, _, files in os.walk(root)
                for name in files
            }

        before = names()
        return lambda: names() - before
    client, name = request.getfixturevalue("bucket")

    def keys() -> set[str]:
        return {o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", [])}

    return keys


def test_a_pdf_is_rendered_into_storage_and_downloaded_from_it(client, stored):
    response = client.get(reverse("matrices:pdf_start", args=[P]), {"variant": "matrix"})
    document = PdfDocument.objects.get()
    assert document.status == "ready", document.error
    assert stored() == {document.file.name}
    assert document.file.name.startswith("pdfs/")
    assert client.get(response["Location"]).status_code == 200
    download = client.get(reverse("matrices:pdf_download", args=[P, document.pk]))
    body = b"".join(download.streaming_content)
    with default_storage.open(document.file.name, "rb") as handle:
        assert body == handle.read()
    assert body.startswith(b"%PDF-")


def test_a_gated_pdf_is_stamped_from_the_stored_file(as_user, stored):
    Provider.objects.filter(slug=P).update(visibility="signed-in")
    viewer = as_user("viewer")
    viewer.get(reverse("matrices:pdf_start", args=[P]), {"variant": "matrix"})
    document = PdfDocument.objects.get()
    download = viewer.get(reverse("matrices:pdf_download", args=[P, document.pk]))
    assert "Downloaded by Demo Viewer (demo-viewer)" in pdftools.pdf_text(download.content, 1)
    assert stored() == {document.file.name}  # the stamped copy is not stored


def test_an_imported_file_is_kept_in_storage_and_applied_from_it(as_user, stored):
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug=P)))
    content = write_csv([r for r in rows if r["offering"] != "SingleStore Self-managed"])
    editor = as_user("editor")
    url = f"/api/v1/providers/{P}/import/"
    plan = editor.post(url, {"file": SimpleUploadedFile("matrix.csv", content)}).json()
    applied = editor.post(
        url,
        {
            "file": SimpleUploadedFile("matrix.csv", content),
            "apply": "true",
            "expected_hash": plan["base_hash"],
        },
    )
    assert applied.json()["state"] == "done"
    job = ImportJob.objects.get()
    assert stored() == {job.file.name}
    with default_storage.open(job.file.name, "rb") as handle:
        assert handle.read() == content


def configured_storage(**env: str) -> dict:
    """STORAGES["default"] as the settings build it from this environment (a new process)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STORAGE_")}
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default'], default=str))"
    )
    output = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


@pytest.mark.django_db(False)
def test_storage_is_the_folder_unless_a_bucket_is_named():
    assert configured_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    s3 = configured_storage(
        STORAGE_BUCKET="srm-files",
        STORAGE_ENDPOINT_URL="http://s3.internal:9000",
        STORAGE_ADDRESSING_STYLE="path",
        STORAGE_ACCESS_KEY_ID="key-id",
        STORAGE_SECRET_ACCESS_KEY="secret",
        STORAGE_PREFIX="portal",
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert {k: s3["OPTIONS"][k] for k in ("bucket_name", "endpoint_url", "location")} == {
        "bucket_name": "srm-files",
        "endpoint_url": "http://s3.internal:9000",
        "location": "portal",
    }
    # Private objects, never overwritten, and the credentials from the environment only.
    assert s3["OPTIONS"]["default_acl"] is None
    assert s3["OPTIONS"]["file_overwrite"] is False
    assert (s3["OPTIONS"]["access_key"], s3["OPTIONS"]["secret_key"]) == ("key-id", "secret")


@pytest.mark.django_db(False)
def test_the_storage_check_writes_reads_and_deletes_a_file_in_the_folder(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    out = io.StringIO()
    call_command("storage_check", stdout=out)
    assert f"Storage works: folder {tmp_path}." in out.getvalue()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the probe is gone


@pytest.mark.django_db(False)
def test_the_storage_check_creates_a_missing_bucket_only_when_asked(settings, s3_endpoint):
    name = f"portal-missing-{uuid.uuid4().hex[:8]}"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_endpoint, name)}
    with pytest.raises(CommandError, match="Storage failed"):
        call_command("storage_check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("storage_check", "--create-bucket", stdout=out)
    assert f"Created the bucket {name!r}." in out.getvalue()
    assert f"Storage works: bucket {name!r} at {s3_endpoint}." in out.getvalue()
    client = s3_client(s3_endpoint)
    assert client.list_objects_v2(Bucket=name).get("KeyCount") == 0
    out = io.StringIO()
    call_command("storage_check", "--create-bucket", stdout=out)
    assert "Created" not in out.getvalue()
