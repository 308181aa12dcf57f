"""Many machines: two web processes and a worker, sharing PostgreSQL, Redis and a bucket.

Each runs in its own process on its own port, as they would on their own machines:
what one process does (a PDF the worker renders, an answer one web process
forgets) is what the other sees. Needs PostgreSQL and Redis: it runs in CI's
PostgreSQL run (REQUIRE_WORKER=1) and is skipped on a laptop's SQLite.
"""

from __future__ import annotations

import os
import time
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from accounts.models import TokenScope
from accounts.roles import Role
from accounts.services import role_set
from accounts.tokens import token_create
from matrices.models import Cell, PdfDocument, Provider
from matrices.services import DutyInput, cell_set, draft_submit
from tests.factories import small_provider
from tests.servers import celery_worker, s3_client, web_server

pytestmark = pytest.mark.django_db(transaction=True)


def shared_services() -> tuple[str, str]:
    """(database URL, Redis URL) of this run, or skip (fail under REQUIRE_WORKER=1)."""
    broker = settings.CELERY_BROKER_URL
    if connection.vendor != "postgresql" or not broker.startswith("redis://"):
        if os.environ.get("REQUIRE_WORKER") == "1":
            pytest.fail("REQUIRE_WORKER=1 needs PostgreSQL and a Redis broker")
        pytest.skip("needs PostgreSQL and Redis (CI's PostgreSQL run)")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    database = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    redis = urlsplit(broker)
    return database, f"redis://{redis.netloc}"


@pytest.fixture(scope="module")
def cluster(django_db_setup, s3_endpoint):
    """Web A, web B and a worker on the test database, for the module's tests; yields
    (A's URL, B's URL, the bucket's client, its name)."""
    database, redis = shared_services()
    client, bucket = s3_client(s3_endpoint), f"portal-many-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    # Databases 12 and 13 of Redis are this test's own: no other worker takes its tasks.
    env = {
        "PORTAL_ENV": "development",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "AUDIT_HMAC_KEY": settings.AUDIT_HMAC_KEY,
        "DATABASE_URL": database,
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": f"{redis}/13",
        "CELERY_RESULT_BACKEND": f"{redis}/13",
        "CACHE_URL": f"{redis}/12",
        "STORAGE_BUCKET": bucket,
        "STORAGE_ENDPOINT_URL": s3_endpoint,
        "STORAGE_REGION": "us-east-1",
        "STORAGE_ACCESS_KEY_ID": "test-key",
        "STORAGE_SECRET_ACCESS_KEY": "test-secret",
        "STORAGE_ADDRESSING_STYLE": "path",
        "PDFS_AT_PUBLICATION": "1",
    }
    import redis as redis_client

    for db in (12, 13):
        redis_client.Redis.from_url(f"{redis}/{db}").flushdb()
    with web_server(env) as a, web_server(env) as b, celery_worker(env, "many"):
        yield a, b, client, bucket


def wait_for(condition, what: str, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def test_a_pdf_rendered_by_the_worker_downloads_through_either_web_process(cluster):
    a, b, s3, bucket = cluster
    provider = small_provider(f"many-{uuid.uuid4().hex[:6]}")
    made = requests.post(
        f"{a}/api/v1/providers/{provider.slug}/pdfs/", json={"variant": "matrix"}, timeout=30
    )
    assert made.status_code == 202, made.text
    url = made.json()["url"]
    status = wait_for(
        lambda: (
            (s := requests.get(f"{b}{urlsplit(url).path}", timeout=30).json())["status"]
            in ("ready", "failed")
            and s
        ),
        "the worker to render the PDF",
    )
    assert status["status"] == "ready", status
    document = PdfDocument.objects.get(pk=made.json()["id"])
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert keys == {document.file.name}
    path = urlsplit(status["download_url"]).path
    through_a = requests.get(f"{a}{path}", timeout=30)
    through_b = requests.get(f"{b}{path}", timeout=30)
    assert through_a.status_code == through_b.status_code == 200
    assert through_a.content == through_b.content
    assert through_a.content.startswith(b"%PDF-")
    assert s3.get_object(Bucket=bucket, Key=document.file.name)["Body"].read() == (
        through_a.content
    )


def test_what_one_web_process_forgets_the_other_does_not_remember(cluster):
    a, b, _, _ = cluster
    provider = small_provider(f"many-{uuid.uuid4().hex[:6]}")
    page = f"/providers/{provider.slug}/"
    assert requests.get(f"{a}{page}", timeout=30).status_code == 200
    # Hidden behind the portal's back (no service, nothing forgotten): both processes
    # still answer from the shared cache, which shows the answer is remembered there.
    Provider.objects.filter(pk=provider.pk).update(visibility="signed-in")
    assert requests.get(f"{a}{page}", timeout=30).status_code == 200
    assert requests.get(f"{b}{page}", timeout=30).status_code == 200
    Provider.objects.filter(pk=provider.pk).update(visibility="public")

    admin = get_user_model().objects.create_superuser(
        f"root-{uuid.uuid4().hex[:6]}", "root@example.com", "x-Pass-12345"
    )
    _, secret = token_create(user=admin, name="many processes", scope=TokenScope.READ_WRITE)
    provider.refresh_from_db()
    changed = requests.patch(
        f"{b}/api/v1/providers/{provider.slug}/",
        json={"visibility": "private", "version": provider.version, "reason": "Embargo."},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    assert changed.status_code == 200, changed.text
    assert requests.get(f"{a}{page}", timeout=30).status_code == 404
    assert requests.get(f"{b}{page}", timeout=30).status_code == 404


def test_a_publication_through_one_process_is_read_through_the_other_with_its_pdfs(cluster):
    a, b, _, _ = cluster
    provider = small_provider(f"many-{uuid.uuid4().hex[:6]}")
    page = f"/providers/{provider.slug}/"
    assert "Rotate the keys every year." in requests.get(f"{a}{page}", timeout=30).text
    User = get_user_model()
    editor = User.objects.create_user(f"editor-{uuid.uuid4().hex[:6]}", password="x-Pass-12345")
    approver = User.objects.create_user(f"appr-{uuid.uuid4().hex[:6]}", password="x-Pass-12345")
    role_set(actor=None, provider=provider, principal=editor, role=Role.EDITOR)
    role_set(actor=None, provider=provider, principal=approver, role=Role.APPROVER)
    cell = Cell.objects.get(provider=provider)
    cell_set(
        actor=editor,
        offering=cell.offering,
        domain=cell.domain,
        ownership="customer",
        expected_version=cell.version,
        duties={provider.parties.get(): [DutyInput(text="Rotate the keys every quarter.")]},
    )
    submission = draft_submit(actor=editor, provider=provider, summary="Quarterly rotation.")
    _, secret = token_create(user=approver, name="many processes", scope=TokenScope.READ_WRITE)
    approved = requests.post(
        f"{b}/api/v1/providers/{provider.slug}/review/approve/",
        json={"expected_hash": submission.snapshot_hash, "reason": "Reviewed."},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    assert approved.status_code == 201, approved.text
    version = approved.json()["number"]
    text = requests.get(f"{a}{page}", timeout=30).text
    assert "Rotate the keys every quarter." in text
    # The worker renders the new version's PDFs: the matrix, the offering, its checklist.
    ready = wait_for(
        lambda: (
            (
                documents := list(
                    PdfDocument.objects.filter(provider=provider, version__number=version)
                )
            )
            and len(documents) == 3
            and all(d.status == "ready" for d in documents)
            and documents
        ),
        "the PDFs of the new version",
    )
    assert sorted(d.variant for d in ready) == ["checklist", "matrix", "offering"]
