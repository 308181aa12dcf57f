"""Every API endpoint x every kind of user: the expected status, and on denial nothing changed.

As on the pages, with the API's statuses: 401 where a user or token could
help, 403 for people who see the provider but lack the role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.invitations import invitation_create
from accounts.roles import Role
from matrices.exchange.files import write_csv
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import Cell, ControlDomain, ImportJob, Party, Provider
from matrices.snapshot import snapshot_build
from tests.factories import PUBLIC_HOOK, state, webhook_with_delivery
from tests.test_permission_matrix import WHO, singlestore, with_addresses
from tests.trust.access_kit import pending_request
from tests.trust.nda_setup import reader_with_grant
from trust.centers import trust_center_update

pytestmark = pytest.mark.django_db


API = "/api/v1/providers/singlestore"


DRAFT = ("editor", "approver", "auditor", "admin")


EDIT = ("editor", "admin")


AUDIT = DRAFT


ACCESS = ("admin",)


TRUST = ("admin", "trust_manager")  # MANAGE_TRUST; webhooks and NDA versions: ACCESS


def needs(*allowed: str, ok: int = 200, anonymous: int = 401) -> dict[str, int]:
    expected = dict.fromkeys(WHO, 403)
    expected["anonymous"] = anonymous
    for key in (*allowed, "superuser"):
        expected[key] = ok
    return expected


ANYONE = dict.fromkeys(WHO, 200)


def cell_body() -> dict:
    cell = Cell.objects.get(
        provider__slug="singlestore", offering__slug="helios", domain__slug="compliance"
    )
    party = Party.objects.get(provider__slug="singlestore", role="customer")
    return {
        "ownership": "customer",
        "duties": [{"party": party.pk, "text": "New."}],
        "version": cell.version,
    }


def import_job_api_url() -> str:
    job = ImportJob.objects.create(
        provider=Provider.objects.get(slug="singlestore"),
        filename="m.csv",
        file="imports/m.csv",
        expected_hash="0" * 64,
    )
    return f"{API}/imports/{job.pk}/"


def csv_upload() -> dict:
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    return {"file": SimpleUploadedFile("m.csv", write_csv(rows[:-3]))}


def domain_url() -> str:
    domain = ControlDomain.objects.get(provider__slug="singlestore", slug="compliance")
    return f"{API}/domains/{domain.pk}/"


def invitation_api_url(suffix: str = "") -> str:
    invitation = invitation_create(
        actor=None,
        provider=Provider.objects.get(slug="singlestore"),
        email="invited@example.com",
        role=Role.VIEWER,
        base_url="http://testserver/",
    )
    return f"{API}/invitations/{invitation.pk}/{suffix}"


TRUST_API = f"{API}/trust"


def access_request_api_url(action: str) -> str:
    """A confirmed request to read SingleStore, waiting for a decision (made here)."""
    trust_center_update(actor=None, provider=singlestore(), enabled=True)
    return f"{TRUST_API}/requests/{pending_request(singlestore()).pk}/{action}/"


def grant_api_url(suffix: str = "") -> str:
    """An outside reader's access to SingleStore (given here, by the system)."""
    return f"{TRUST_API}/grants/{reader_with_grant(singlestore()).pk}/{suffix}"


def webhook_api_url(suffix: str = "") -> str:
    """A webhook of SingleStore with one delivery (made here); ``{delivery}`` in ``suffix``
    is replaced by the delivery's id."""
    delivery = webhook_with_delivery(singlestore())
    return f"{TRUST_API}/webhooks/{delivery.webhook_id}/{suffix.format(delivery=delivery.pk)}"


def in_a_week() -> str:
    return (timezone.now() + timedelta(days=7)).isoformat()


# The clickwrap is for readers given access: none of the named users is one.
NO_GRANT = {**dict.fromkeys(WHO, 404), "anonymous": 401}
SUBSCRIPTIONS = "/api/v1/trust/singlestore/subscriptions/"

TRUST_CASES = [
    ("trust settings", "get", lambda: f"{TRUST_API}/", None, needs(*TRUST)),
    (
        "trust settings change",
        "patch",
        lambda: f"{TRUST_API}/",
        lambda: {"enabled": True, "default_days": 14, "reason": "test"},
        needs(*TRUST),
    ),
    ("access requests", "get", lambda: f"{TRUST_API}/requests/", None, needs(*TRUST)),
    (
        "approve a request",
        "post",
        lambda: access_request_api_url("approve"),
        lambda: {"expires_at": in_a_week()},
        needs(*TRUST, ok=201),
    ),
    (
        "deny a request",
        "post",
        lambda: access_request_api_url("deny"),
        lambda: {"reason": "Not a customer."},
        needs(*TRUST),
    ),
    ("readers' grants", "get", lambda: f"{TRUST_API}/grants/", None, needs(*TRUST)),
    ("a reader's grant", "get", grant_api_url, None, needs(*TRUST)),
    ("extend a grant", "patch", grant_api_url, lambda: {"expires_at": in_a_week()}, needs(*TRUST)),
    (
        "revoke a grant",
        "post",
        lambda: grant_api_url("revoke/"),
        lambda: {"reason": "The contract ended."},
        needs(*TRUST),
    ),
    ("trust page", "get", lambda: "/api/v1/trust/singlestore/", None, ANYONE),
    ("nda versions", "get", lambda: f"{TRUST_API}/nda/", None, needs(*TRUST)),
    (  # trust managers read the versions, admins write them
        "publish an nda",
        "post",
        lambda: f"{TRUST_API}/nda/",
        lambda: {"body": "# Confidentiality\n\nKeep it to yourself.", "reason": "test"},
        needs(*ACCESS, ok=201),
    ),
    ("nda acceptances", "get", lambda: f"{TRUST_API}/nda/acceptances/", None, needs(*TRUST)),
    ("nda to accept", "get", lambda: f"{TRUST_API}/nda/accept/", None, NO_GRANT),
    (
        "accept the nda",
        "post",
        lambda: f"{TRUST_API}/nda/accept/",
        lambda: {"number": 1, "sha256": "0" * 64},
        NO_GRANT,
    ),
    ("analytics", "get", lambda: f"{TRUST_API}/analytics/", None, needs(*TRUST)),
    ("reading events", "get", lambda: f"{TRUST_API}/events/", None, needs(*TRUST)),
    (  # signed in, one subscribes the account's address; a visitor has to give one
        "subscribe",
        "post",
        lambda: with_addresses(SUBSCRIPTIONS),
        lambda: {},
        {**dict.fromkeys(WHO, 202), "anonymous": 400},
    ),
    (
        "subscribe an address",
        "post",
        lambda: with_addresses(SUBSCRIPTIONS),
        lambda: {"email": "subscriber@example.com"},
        {**dict.fromkeys(WHO, 400), "anonymous": 202},
    ),
    ("subscribers", "get", lambda: f"{TRUST_API}/subscribers/", None, needs(*TRUST)),
    ("webhooks", "get", lambda: f"{TRUST_API}/webhooks/", None, needs(*ACCESS)),
    (
        "add a webhook",
        "post",
        lambda: f"{TRUST_API}/webhooks/",
        lambda: {"url": PUBLIC_HOOK, "events": ["version.published"]},
        needs(*ACCESS, ok=201),
    ),
    ("webhook", "get", webhook_api_url, None, needs(*ACCESS)),
    (
        "change a webhook",
        "patch",
        webhook_api_url,
        lambda: {"active": False, "reason": "test"},
        needs(*ACCESS),
    ),
    (
        "delete a webhook",
        "delete",
        webhook_api_url,
        lambda: {"reason": "test"},
        needs(*ACCESS, ok=204),
    ),
    (
        "rotate a webhook's secret",
        "post",
        lambda: webhook_api_url("rotate-secret/"),
        lambda: {"reason": "test"},
        needs(*ACCESS),
    ),
    (
        "send a webhook a test event",
        "post",
        lambda: webhook_api_url("ping/"),
        lambda: {},
        needs(*ACCESS, ok=202),
    ),
    ("webhook deliveries", "get", lambda: webhook_api_url("deliveries/"), None, needs(*ACCESS)),
    (
        "redeliver a webhook delivery",
        "post",
        lambda: webhook_api_url("deliveries/{delivery}/redeliver/"),
        lambda: {"reason": "test"},
        needs(*ACCESS, ok=202),
    ),
]

CASES = [
    ("providers", "get", lambda: "/api/v1/providers/", None, ANYONE),
    ("provider", "get", lambda: f"{API}/", None, ANYONE),
    ("matrix", "get", lambda: f"{API}/matrix/?version=latest", None, ANYONE),
    ("versions", "get", lambda: f"{API}/versions/", None, ANYONE),
    ("version diff", "get", lambda: f"{API}/versions/1/diff/latest/", None, ANYONE),
    (
        "draft diff",
        "get",
        lambda: f"{API}/versions/1/diff/draft/",
        None,
        needs(*DRAFT),
    ),
    ("offerings", "get", lambda: f"{API}/offerings/", None, needs(*DRAFT)),
    ("cells", "get", lambda: f"{API}/cells/", None, needs(*DRAFT)),
    ("duties", "get", lambda: f"{API}/duties/", None, needs(*DRAFT)),
    ("review", "get", lambda: f"{API}/review/", None, needs(*DRAFT)),
    ("audit", "get", lambda: f"{API}/audit/", None, needs(*AUDIT)),
    ("access", "get", lambda: f"{API}/access/", None, needs(*ACCESS)),
    ("site audit", "get", lambda: "/api/v1/audit/", None, needs()),
    ("verify", "post", lambda: "/api/v1/verify/", lambda: {"sha256": "0" * 64}, ANYONE),
    ("invitations", "get", lambda: f"{API}/invitations/", None, needs(*ACCESS)),
    ("invitation", "get", invitation_api_url, None, needs(*ACCESS)),
    (
        "invite",
        "post",
        lambda: f"{API}/invitations/",
        lambda: {"email": "new@example.com", "role": "viewer", "reason": "test"},
        needs(*ACCESS, ok=201),
    ),
    (
        "resend invitation",
        "post",
        lambda: invitation_api_url("resend/"),
        lambda: {"reason": "test"},
        needs(*ACCESS),
    ),
    (
        "revoke invitation",
        "delete",
        invitation_api_url,
        lambda: {"reason": "test"},
        needs(*ACCESS, ok=204),
    ),
    ("cell put", "put", lambda: f"{API}/cells/helios/compliance/", cell_body, needs(*EDIT)),
    (
        "domain add",
        "post",
        lambda: f"{API}/domains/",
        lambda: {"name": "New", "slug": "new-domain"},
        needs(*EDIT, ok=201),
    ),
    ("domain rename", "patch", domain_url, lambda: {"name": "X", "version": 1}, needs(*EDIT)),
    ("import dry run", "post_multipart", lambda: f"{API}/import/", csv_upload, needs(*EDIT)),
    ("import job", "get", import_job_api_url, None, needs(*DRAFT)),
    (  # the draft equals version 1: editors get as far as the service's own refusal
        "submit",
        "post",
        lambda: f"{API}/review/submit/",
        lambda: {"summary": "x"},
        needs(*EDIT, ok=400),
    ),
    (
        "grant",
        "post",
        lambda: f"{API}/access/",
        lambda: {"kind": "user", "name": "outsider", "role": "viewer"},
        needs(*ACCESS),
    ),
    (
        "visibility",
        "patch",
        lambda: f"{API}/",
        lambda: {
            "visibility": "private",
            "version": Provider.objects.get(slug="singlestore").version,
        },
        needs(*ACCESS),
    ),
    (
        "new provider",
        "post",
        lambda: "/api/v1/providers/",
        lambda: {"name": "Made Here"},
        needs(ok=201),
    ),
    (
        "new provider from a file",
        "post_multipart",
        lambda: "/api/v1/providers/from-file/",
        lambda: {"name": "Made Here", **csv_upload()},
        needs(ok=201),
    ),
    (
        "export",
        "get",
        lambda: f"{API}/export.oscal-ssp.json",
        None,
        ANYONE,
    ),
    (
        "export of the draft",
        "get",
        lambda: f"{API}/export.csv?version=draft",
        None,
        needs(*DRAFT),
    ),
    *TRUST_CASES,
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_api_permission_matrix(as_user, who, name, method, url, data, expected):
    client = as_user(None if who == "anonymous" else who)
    target = url()  # before the snapshot: some builders make what the URL names
    before = state()
    payload = data() if data else None
    if method == "post_multipart":
        response = client.post(target, payload)
    elif method == "get":
        response = client.get(target)
    else:
        response = getattr(client, method)(target, payload, content_type="application/json")
    want = expected[who]
    assert response.status_code == want, (name, who, response.status_code, response.content[:300])
    if want >= 400:
        assert response.json()["error"]["status"] == want
        if method != "get":
            assert state() == before, f"{who} was refused {name} but something changed"
