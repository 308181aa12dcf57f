"""Shared fixtures: the demo matrices are loaded once per test database."""

from __future__ import annotations

import json
import os

import pytest
from django.test import override_settings

from audit.context import acting_as
from matrices.demo.accounts import demo_accounts_create, demo_approver
from matrices.demo.loader import demo_load, demo_publish
from matrices.models import Provider
from matrices.snapshot import snapshot_build
from tests.factories import customer_duty_set, small_provider

# The demo matrices as loaded, for tests that need no database (and may run
# after transactional tests have emptied it).
DEMO_SNAPSHOTS: dict[str, dict] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Loaded through the service layer, exactly as `manage.py loaddemo` does (the PDFs of
    # the versions are left to the tests that ask for them).
    with (
        django_db_blocker.unblock(),
        acting_as("command:loaddemo"),
        override_settings(PDFS_AT_PUBLICATION=False),
    ):
        demo_load()
        demo_accounts_create()
        demo_publish(approver=demo_approver())
        for provider in Provider.objects.all():
            DEMO_SNAPSHOTS[provider.slug] = snapshot_build(provider)


@pytest.fixture(autouse=True)
def no_pdfs_at_publication(settings):
    """Publishing renders no PDFs unless a test turns it on: with a worker (CI's PostgreSQL
    run) every publication of every test would queue them."""
    settings.PDFS_AT_PUBLICATION = False


@pytest.fixture(autouse=True)
def unsigned_pdfs(settings):
    """PDFs are unsigned unless a test asks for ``signing``, whether or not the checkout has
    the development pair in .dev-keys/ (``make run`` writes it)."""
    settings.PDF_SIGNING_KEY = settings.PDF_SIGNING_CERT = settings.PDF_SIGNING_CHAIN = ""


@pytest.fixture
def singlestore(db) -> Provider:
    return Provider.objects.get(slug="singlestore")


@pytest.fixture
def clickhouse(db) -> Provider:
    return Provider.objects.get(slug="clickhouse")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # MD5 for speed; PBKDF2 still checks the demo accounts made at session start.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def users(db):
    """Named users: one per role on SingleStore (the demo accounts), plus outsiders."""
    from django.contrib.auth import get_user_model

    from accounts.roles import Role
    from accounts.services import role_set

    User = get_user_model()
    people = {role.value: User.objects.get(username=f"demo-{role.value}") for role in Role}
    other = User.objects.create_user("clickhouse-editor", password="x-Pass-12345")
    role_set(
        actor=None,
        provider=Provider.objects.get(slug="clickhouse"),
        principal=other,
        role=Role.EDITOR,
    )
    people["other_editor"] = other
    people["outsider"] = User.objects.create_user("outsider", password="x-Pass-12345")
    people["superuser"] = User.objects.create_superuser("root", "root@example.com", "x-Pass-12345")
    return people


@pytest.fixture
def as_user(client, users):
    """Log the client in as one of ``users`` by key (None for anonymous); returns the client."""

    def login(key):
        client.logout()
        if key is not None:
            client.force_login(users[key])
        return client

    return login


@pytest.fixture
def elsewhere(db) -> Provider:
    """A published provider on which none of the named users holds a role."""
    return small_provider("elsewhere")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Files the tests write (PDFs) go to a temporary folder: the one a real worker shares
    with the run (TEST_MEDIA_ROOT, set by CI), else one for this session."""
    shared = os.environ.get("TEST_MEDIA_ROOT")
    settings.MEDIA_ROOT = shared or str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3-protocol server, in its own process for the whole run."""
    from tests.servers import s3_server

    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def smtp_maildir(tmp_path_factory):
    """aiosmtpd's SMTP server, in its own process for the whole run; yields (port, Maildir)."""
    from tests.servers import smtp_server

    maildir = tmp_path_factory.mktemp("mail") / "Maildir"
    with smtp_server(maildir) as port:
        yield port, maildir


@pytest.fixture
def mail(settings, smtp_maildir):
    """Email goes through the real SMTP server (not Django's in-memory outbox); yields the
    Mailbox that reads what it was given, empty at the start of the test."""
    from tests.servers import Mailbox

    port, maildir = smtp_maildir
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    box = Mailbox(maildir)
    box.clear()
    return box


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    """The test OpenID Connect identity provider, in its own process for the whole run."""
    from tests.servers import oidc_provider

    with oidc_provider(tmp_path_factory.mktemp("oidc-provider")) as idp:
        yield idp


@pytest.fixture(scope="session")
def sso_settings(identity_provider) -> dict:
    """The settings the portal builds from the environment for the test identity provider."""
    env = {
        "OIDC_ISSUER": identity_provider.issuer,
        "OIDC_CLIENT_ID": identity_provider.client_id,
        "OIDC_CLIENT_SECRET": identity_provider.client_secret,
        "OIDC_NAME": "Test IdP",
        "OIDC_GROUPS_CLAIM": "groups",
        "OIDC_GROUP_MAP": "srm-editors=SingleStore editors,srm-auditors=Auditors",
    }
    names = (
        *("SOCIALACCOUNT_PROVIDERS", "OIDC_GROUPS_CLAIM", "OIDC_GROUP_MAP"),
        "CONTENT_SECURITY_POLICY",  # the issuer's origin joins form-action
    )
    from tests.environment import settings_from_env

    result = settings_from_env(env, *names)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def idp(settings, identity_provider, sso_settings):
    """SSO configured (SSO_SIGNUP="invited"), against the running identity provider."""
    for name, value in sso_settings.items():
        setattr(settings, name, value)
    settings.SSO_SIGNUP = "invited"
    return identity_provider


@pytest.fixture
def bucket(settings, s3_endpoint):
    """Files go to a new, empty bucket on the S3-protocol server; yields (client, name)."""
    import uuid

    from tests.servers import s3_client, s3_storage

    client, name = s3_client(s3_endpoint), f"portal-test-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_endpoint, name)}
    return client, name


@pytest.fixture
def tasks_in_process(monkeypatch):
    """On-commit work runs at once and the tasks (PDFs, imports) run here: these tests run
    in a transaction that never commits, which a worker could not see (tests/test_celery.py
    covers a real worker)."""
    from django.db import transaction

    from matrices import tasks

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    for task in (tasks.render_pdf_document, tasks.render_version_pdfs, tasks.run_import):
        monkeypatch.setattr(task, "delay", lambda *args, task=task: task.apply(args=args))


@pytest.fixture
def singlestore_edited(users):
    """SingleStore with one unpublished edit by the demo editor."""
    customer_duty_set(users["editor"], "Keep evidence for the auditors.")
    return Provider.objects.get(slug="singlestore")


@pytest.fixture(autouse=True)
def api_rates(settings):
    """Rates no test reaches by accident; tests/api/test_throttling.py sets its own."""
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "100000/min")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (published pages are cached)."""
    from django.core.cache import caches

    for alias in ("default", "local"):
        caches[alias].clear()


@pytest.fixture(scope="session")
def signing_pair() -> tuple[str, str]:
    """A self-signed key and certificate (PEM), as `manage.py signing_keys --dev` writes."""
    from matrices.management.commands.signing_keys import dev_pair

    key, cert = dev_pair("Test signer")
    return key.decode(), cert.decode()


@pytest.fixture
def signing(settings, signing_pair):
    """Published PDFs are signed with ``signing_pair`` (tests run without a key otherwise)."""
    settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = signing_pair
    settings.PDF_SIGNING_CHAIN = ""
    return signing_pair
