"""Every URL x every kind of user: the expected status, and on denial nothing changed.

Anonymous visitors are sent to sign in (302) where signing in could help;
people who may see the provider but lack the role get 403; people who may
not see it at all get 404 (see test_private_provider_is_404_to_outsiders).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import invitation_create
from accounts.roles import Role
from matrices.models import Cell, ControlDomain, ImportJob, Party, Provider
from tests.factories import PUBLIC_HOOK, state, webhook_with_delivery
from tests.trust.access_kit import answers, pending_request
from tests.trust.nda_setup import reader_with_grant
from trust.centers import trust_center_update
from trust.models import AccessGrant, AccessRequest

pytestmark = pytest.mark.django_db

WHO = [
    "anonymous",
    "outsider",
    "viewer",
    "other_editor",
    "editor",
    "approver",
    "auditor",
    "admin",
    "trust_manager",
    "superuser",
]
PUBLIC = dict.fromkeys(WHO, 200)
LOGIN = "login"  # anonymous: redirect to the sign-in page


def needs(*allowed: str, ok: int = 200) -> dict[str, object]:
    """Expected status per user: ``ok`` for the allowed roles and superusers, else 403/login."""
    expected: dict[str, object] = dict.fromkeys(WHO, 403)
    expected["anonymous"] = LOGIN
    for key in (*allowed, "superuser"):
        expected[key] = ok
    return expected


EDIT = ("editor", "admin")
AUDIT = ("editor", "approver", "auditor", "admin")
ACCESS = ("admin",)
TRUST = ("admin", "trust_manager")  # MANAGE_TRUST; webhooks and NDA versions: ACCESS


def domain() -> ControlDomain:
    return ControlDomain.objects.get(provider__slug="singlestore", slug="compliance")


def import_job_url() -> str:
    """The page of an import queued on SingleStore (made here; it is never run)."""
    job = ImportJob.objects.create(
        provider=Provider.objects.get(slug="singlestore"),
        filename="m.csv",
        file="imports/m.csv",
        expected_hash="0" * 64,
    )
    return reverse("matrices:import_job", args=["singlestore", job.pk])


def invitation_url(action: str) -> str:
    """The resend or revoke URL of an invitation to SingleStore (made here, by the system)."""
    invitation = invitation_create(
        actor=None,
        provider=Provider.objects.get(slug="singlestore"),
        email="invited@example.com",
        role=Role.VIEWER,
        base_url="http://testserver/",
    )
    return reverse(f"matrices:invitation_{action}", args=["singlestore", invitation.pk])


def cases():
    """(name, method, url builder, data builder, headers, expected per user)."""
    p = "singlestore"
    cell = ("helios", "compliance")
    return [
        ("home", "get", lambda: "/", None, {}, PUBLIC),
        (
            "import page",
            "get",
            lambda: reverse("matrices:import", args=[p]),
            None,
            {},
            needs(*EDIT),
        ),
        ("import job", "get", import_job_url, None, {}, needs(*EDIT)),
        ("search", "get", lambda: "/search/?q=keys", None, {}, PUBLIC),
        ("verify page", "get", lambda: "/verify/", None, {}, PUBLIC),
        ("verify a hash", "post", lambda: "/verify/", lambda: {"sha256": "0" * 64}, {}, PUBLIC),
        ("matrix", "get", lambda: reverse("matrices:provider", args=[p]), None, {}, PUBLIC),
        (
            "offering",
            "get",
            lambda: reverse("matrices:offering", args=[p, "helios"]),
            None,
            {},
            PUBLIC,
        ),
        (
            "checklist",
            "get",
            lambda: reverse("matrices:checklist", args=[p, "helios"]),
            None,
            {},
            PUBLIC,
        ),
        ("compare", "get", lambda: reverse("matrices:compare", args=[p]), None, {}, PUBLIC),
        (
            "cell edit page",
            "get",
            lambda: reverse("matrices:cell_edit", args=[p, *cell]),
            None,
            {},
            needs(*EDIT),
        ),
        (
            "cell edit partial",
            "get",
            lambda: reverse("matrices:cell_edit", args=[p, *cell]),
            None,
            {"HX-Request": "true"},
            needs(*EDIT),
        ),
        (
            "cell save",
            "post",
            lambda: reverse("matrices:cell_edit", args=[p, *cell]),
            cell_payload,
            {},
            needs(*EDIT, ok=302),
        ),
        (
            "cell save htmx",
            "post",
            lambda: reverse("matrices:cell_edit", args=[p, *cell]),
            cell_payload,
            {"HX-Request": "true"},
            needs(*EDIT),
        ),
        (
            "cell cancel",
            "get",
            lambda: reverse("matrices:cell_row", args=[p, *cell]),
            None,
            {"HX-Request": "true"},
            needs(*EDIT),
        ),
        (
            "preview",
            "post",
            lambda: reverse("matrices:markdown_preview", args=[p]),
            lambda: {"field": "p1-0-text", "p1-0-text": "**hi**"},
            {},
            needs(*EDIT),
        ),
        (
            "structure",
            "get",
            lambda: reverse("matrices:structure", args=[p]),
            None,
            {},
            needs(*EDIT),
        ),
        (
            "add domain",
            "post",
            lambda: reverse("matrices:axis_add", args=[p, "domains"]),
            lambda: {"domains-name": "New row", "domains-slug": "new-row", "domains-category": ""},
            {},
            needs(*EDIT, ok=302),
        ),
        (
            "edit domain page",
            "get",
            lambda: reverse("matrices:axis_edit", args=[p, "domains", domain().pk]),
            None,
            {},
            needs(*EDIT),
        ),
        (
            "rename domain",
            "post",
            lambda: reverse("matrices:axis_edit", args=[p, "domains", domain().pk]),
            lambda: {
                "name": "Compliance and audits",
                "slug": "compliance",
                "category": "GRC",
                "description": "",
                "version": domain().version,
            },
            {},
            needs(*EDIT, ok=302),
        ),
        (
            "move domain",
            "post",
            lambda: reverse("matrices:axis_move", args=[p, "domains", domain().pk]),
            lambda: {"version": domain().version, "offset": -1},
            {},
            needs(*EDIT, ok=302),
        ),
        (
            "delete domain page",
            "get",
            lambda: reverse("matrices:axis_delete", args=[p, "domains", domain().pk]),
            None,
            {},
            needs(*EDIT),
        ),
        (
            "delete domain",
            "post",
            lambda: reverse("matrices:axis_delete", args=[p, "domains", domain().pk]),
            lambda: {"version": domain().version, "reason": "test"},
            {},
            needs(*EDIT, ok=302),
        ),
        (
            "provider audit log",
            "get",
            lambda: reverse("matrices:audit_log", args=[p]),
            None,
            {},
            needs(*AUDIT),
        ),
        (
            "provider audit csv",
            "get",
            lambda: reverse("matrices:audit_export", args=[p, "csv"]),
            None,
            {},
            needs(*AUDIT),
        ),
        (
            "provider audit json",
            "get",
            lambda: reverse("matrices:audit_export", args=[p, "json"]),
            None,
            {},
            needs(*AUDIT),
        ),
        ("new provider page", "get", lambda: reverse("matrices:provider_new"), None, {}, needs()),
        (
            "create provider",
            "post",
            lambda: reverse("matrices:provider_new"),
            lambda: {"name": "Acme", "slug": "acme", "visibility": "public", "start": "empty"},
            {},
            needs(ok=302),
        ),
        ("site audit log", "get", lambda: reverse("matrices:site_audit_log"), None, {}, needs()),
        (
            "site audit csv",
            "get",
            lambda: reverse("matrices:site_audit_export", args=["csv"]),
            None,
            {},
            needs(),
        ),
        (
            "site audit json",
            "get",
            lambda: reverse("matrices:site_audit_export", args=["json"]),
            None,
            {},
            needs(),
        ),
        ("versions", "get", lambda: reverse("matrices:versions", args=[p]), None, {}, PUBLIC),
        ("version 1", "get", lambda: reverse("matrices:version", args=[p, 1]), None, {}, PUBLIC),
        (
            "diff 1 to latest",
            "get",
            lambda: reverse("matrices:version_diff", args=[p, "1", "latest"]),
            None,
            {},
            PUBLIC,
        ),
        (
            "diff latest to draft",
            "get",
            lambda: reverse("matrices:version_diff", args=[p, "latest", "draft"]),
            None,
            {},
            needs(*AUDIT),
        ),
        (
            "submit draft",
            "post",
            lambda: reverse("matrices:review_submit", args=[p]),
            lambda: {"summary": "Nothing changed."},
            {},
            needs(*EDIT, ok=400),  # allowed, and refused: the draft is the published version
        ),
        (
            "pdf of version 1",
            "get",
            lambda: reverse("matrices:pdf_start", args=[p]) + "?version=1",
            None,
            {},
            dict.fromkeys(WHO, 302),
        ),
        (
            "pdf of the draft",
            "get",
            lambda: reverse("matrices:pdf_start", args=[p]) + "?version=draft",
            None,
            {},
            needs(*AUDIT, ok=302),
        ),
        (
            "set visibility",
            "post",
            lambda: reverse("matrices:visibility", args=[p]),
            lambda: {"visibility": "signed-in", "version": Provider.objects.get(slug=p).version},
            {},
            needs(*ACCESS, ok=302),
        ),
        (
            "access page",
            "get",
            lambda: reverse("matrices:access", args=[p]),
            None,
            {},
            needs(*ACCESS),
        ),
        (
            "grant role",
            "post",
            lambda: reverse("matrices:access", args=[p]),
            lambda: {
                "principal_kind": "user",
                "principal": "outsider",
                "role": "viewer",
                "reason": "test",
                "confirmed": "on",
            },
            {},
            needs(*ACCESS, ok=302),
        ),
        ("people", "get", lambda: reverse("accounts:people"), None, {}, needs()),
        ("new person page", "get", lambda: reverse("accounts:person_new"), None, {}, needs()),
        (
            "create person",
            "post",
            lambda: reverse("accounts:person_new"),
            lambda: {"username": "dana", "email": "dana@example.com", "reason": "Hired."},
            {},
            needs(ok=302),
        ),
        ("person page", "get", lambda: person_url(), None, {}, needs()),
        ("person action page", "get", lambda: person_url("deactivate"), None, {}, needs()),
        (
            "review a person action",
            "post",
            lambda: person_url("deactivate"),
            lambda: {"reason": "Left."},
            {},
            needs(),
        ),
        (
            "deactivate a person",
            "post",
            lambda: person_url("deactivate"),
            lambda: {"reason": "Left.", "confirmed": "on"},
            {},
            needs(ok=302),
        ),
        (
            "make a person superuser",
            "post",
            lambda: person_url("grant-superuser"),
            lambda: {"reason": "On call.", "confirmed": "on"},
            {},
            needs(ok=302),
        ),
        (
            "force a password reset",
            "post",
            lambda: person_url("reset-password"),
            lambda: {"reason": "Stolen laptop.", "confirmed": "on"},
            {},
            needs(ok=400),  # allowed, and refused: the demo viewer has no email for the link
        ),
        (
            "invite",
            "post",
            lambda: reverse("matrices:invite", args=[p]),
            lambda: {"email": "new@example.com", "role": "viewer", "reason": "test"},
            {},
            needs(*ACCESS, ok=302),
        ),
        (
            "resend invitation",
            "post",
            lambda: invitation_url("resend"),
            None,
            {},
            needs(*ACCESS, ok=302),
        ),
        (
            "revoke invitation",
            "post",
            lambda: invitation_url("revoke"),
            lambda: {"confirmed": "on", "reason": "test"},
            {},
            needs(*ACCESS, ok=302),
        ),
        (
            "invitation link, unknown",
            "get",
            lambda: reverse("accounts:invitation", args=["no-such-token"]),
            None,
            {},
            dict.fromkeys(WHO, 404),
        ),
    ]


def person_url(action: str | None = None) -> str:
    """The People page of the demo viewer, or one of its actions."""
    pk = get_user_model().objects.get(username="demo-viewer").pk
    if action is None:
        return reverse("accounts:person", args=[pk])
    return reverse("accounts:person_action", args=[pk, action])


def cell_payload() -> dict:
    cell = Cell.objects.get(
        provider__slug="singlestore", offering__slug="helios", domain__slug="compliance"
    )
    payload = {"cell-ownership": "customer", "cell-version": cell.version, "cell-reason": "t"}
    for party in Party.objects.filter(provider__slug="singlestore"):
        payload.update(
            {
                f"p{party.pk}-TOTAL_FORMS": 1,
                f"p{party.pk}-INITIAL_FORMS": 0,
                f"p{party.pk}-0-text": f"New duty for {party.name}.",
            }
        )
    return payload


def singlestore() -> Provider:
    return Provider.objects.get(slug="singlestore")


def trust_on(name: str, *args) -> str:
    """The URL, once SingleStore's trust center is enabled (by the system)."""
    trust_center_update(actor=None, provider=singlestore(), enabled=True)
    return reverse(name, args=["singlestore", *args])


def access_request_url(action: str) -> str:
    """Approve or deny a confirmed request to read SingleStore (made here, by an outsider)."""
    trust_center_update(actor=None, provider=singlestore(), enabled=True)
    return reverse(
        f"trust:request_{action}", args=["singlestore", pending_request(singlestore()).pk]
    )


def pending() -> int:
    return AccessRequest.objects.get(status=AccessRequest.Status.PENDING).pk


def reader_url(action: str) -> str:
    """Extend or revoke an outside reader's access to SingleStore (given here, by the system)."""
    return reverse(
        f"trust:reader_{action}", args=["singlestore", reader_with_grant(singlestore()).pk]
    )


def grant() -> int:
    return AccessGrant.objects.get(ended_at=None).pk


def in_a_week() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


def webhook_url(action: str = "") -> str:
    """A webhook of SingleStore, or one of its actions (made here, with one delivery)."""
    delivery = webhook_with_delivery(singlestore())
    args = ["singlestore", delivery.webhook_id]
    if action == "redeliver":
        return reverse("trust:webhook_redeliver", args=[*args, delivery.pk])
    return reverse(f"trust:{action}" if action else "trust:webhook", args=args)


def with_addresses(url: str) -> str:
    """The URL, once every account has an email address (subscribing takes the account's)."""
    get_user_model().objects.filter(email="").update(
        email=Concat("username", Value("@example.com"))
    )
    return url


# The clickwrap is for readers given access: none of the named users is one.
NO_GRANT = {**dict.fromkeys(WHO, 404), "anonymous": LOGIN}


def trust_cases():
    """The trust center's pages: the public ones under /trust/, the team's under
    /providers/<slug>/trust/ (MANAGE_TRUST; webhooks and writing the NDA: MANAGE_ACCESS)."""
    p = "singlestore"
    team = f"/providers/{p}/trust/"
    hook = {"url": PUBLIC_HOOK, "events": ["access.requested"], "reason": "test"}
    return [
        ("trust index", "get", lambda: reverse("trust:index"), None, {}, PUBLIC),
        ("trust page", "get", lambda: reverse("trust:page", args=[p]), None, {}, PUBLIC),
        (
            "request form, trust center off",
            "get",
            lambda: reverse("trust:request", args=[p]),
            None,
            {},
            dict.fromkeys(WHO, 404),
        ),
        (
            "request access, trust center off",
            "post",
            lambda: reverse("trust:request", args=[p]),
            lambda: answers(singlestore()),
            {},
            dict.fromkeys(WHO, 404),
        ),
        ("request form", "get", lambda: trust_on("trust:request"), None, {}, PUBLIC),
        (
            "request access",
            "post",
            lambda: trust_on("trust:request"),
            lambda: answers(singlestore()),
            {},
            dict.fromkeys(WHO, 302),
        ),
        ("request sent", "get", lambda: reverse("trust:request_sent", args=[p]), None, {}, PUBLIC),
        (
            "request confirmation, unknown link",
            "get",
            lambda: reverse("trust:confirm", args=["no-such-token"]),
            None,
            {},
            dict.fromkeys(WHO, 404),
        ),
        ("trust settings", "get", lambda: team, None, {}, needs(*TRUST)),
        (
            "save trust settings",
            "post",
            lambda: team,
            lambda: {"enabled": "on", "default_days": 30, "introduction": "Ask.", "reason": "t"},
            {},
            needs(*TRUST, ok=302),
        ),
        ("access requests", "get", lambda: f"{team}requests/", None, {}, needs(*TRUST)),
        (
            "approve a request",
            "post",
            lambda: access_request_url("approve"),
            lambda: {f"approve-{pending()}-expires_on": in_a_week()},
            {},
            needs(*TRUST, ok=302),
        ),
        (
            "deny a request",
            "post",
            lambda: access_request_url("deny"),
            lambda: {f"deny-{pending()}-reason": "Not a customer."},
            {},
            needs(*TRUST, ok=302),
        ),
        ("readers", "get", lambda: f"{team}readers/", None, {}, needs(*TRUST)),
        (
            "extend a reader",
            "post",
            lambda: reader_url("extend"),
            lambda: {f"extend-{grant()}-expires_on": in_a_week(), f"extend-{grant()}-reason": "t"},
            {},
            needs(*TRUST, ok=302),
        ),
        (
            "revoke a reader",
            "post",
            lambda: reader_url("revoke"),
            lambda: {f"revoke-{grant()}-reason": "The contract ended."},
            {},
            needs(*TRUST, ok=302),
        ),
        ("nda to accept", "get", lambda: reverse("trust:nda", args=[p]), None, {}, NO_GRANT),
        ("nda versions", "get", lambda: f"{team}nda/", None, {}, needs(*TRUST)),
        (
            "publish an nda",
            "post",
            lambda: f"{team}nda/",
            lambda: {"body": "# Confidentiality\n\nKeep it to yourself.", "reason": "t"},
            {},
            needs(*ACCESS, ok=302),  # trust managers read the versions, admins write them
        ),
        (
            "nda preview",
            "post",
            lambda: f"{team}nda/preview/",
            lambda: {"body": "**Keep it to yourself.**"},
            {"HX-Request": "true"},
            needs(*ACCESS),
        ),
        (
            "nda acceptances csv",
            "get",
            lambda: f"{team}nda/acceptances.csv",
            None,
            {},
            needs(*TRUST),
        ),
        ("analytics", "get", lambda: f"{team}analytics/", None, {}, needs(*TRUST)),
        ("analytics csv", "get", lambda: f"{team}analytics.csv", None, {}, needs(*TRUST)),
        ("subscribe page", "get", lambda: reverse("trust:subscribe", args=[p]), None, {}, PUBLIC),
        (
            "subscribe",
            "post",
            lambda: with_addresses(reverse("trust:subscribe", args=[p])),
            lambda: {"email": "subscriber@example.com", "website": ""},
            {},
            dict.fromkeys(WHO, 302),
        ),
        (
            "subscribe sent",
            "get",
            lambda: reverse("trust:subscribe_sent", args=[p]),
            None,
            {},
            PUBLIC,
        ),
        ("versions feed", "get", lambda: reverse("trust:feed", args=[p]), None, {}, PUBLIC),
        (
            "subscription confirmation, unknown link",
            "get",
            lambda: reverse("trust:subscription_confirm", args=["no-such-token"]),
            None,
            {},
            dict.fromkeys(WHO, 404),
        ),
        (
            "unsubscribe, unknown link",
            "post",
            lambda: reverse("trust:unsubscribe", args=["no-such-token"]),
            None,
            {},
            dict.fromkeys(WHO, 404),
        ),
        ("subscribers", "get", lambda: f"{team}subscribers/", None, {}, needs(*TRUST)),
        ("webhooks", "get", lambda: f"{team}webhooks/", None, {}, needs(*ACCESS)),
        (
            "add a webhook",
            "post",
            lambda: f"{team}webhooks/",
            lambda: {**hook, "events": ["version.published"]},
            {},
            needs(*ACCESS, ok=302),
        ),
        ("webhook", "get", webhook_url, None, {}, needs(*ACCESS)),
        (
            "change a webhook",
            "post",
            webhook_url,
            lambda: {**hook, "active": "on"},
            {},
            needs(*ACCESS, ok=302),
        ),
        (
            "delete a webhook",
            "post",
            lambda: webhook_url("webhook_delete"),
            lambda: {"reason": "t"},
            {},
            needs(*ACCESS, ok=302),
        ),
        (
            "rotate a webhook's secret",
            "post",
            lambda: webhook_url("webhook_rotate"),
            lambda: {"reason": "t"},
            {},
            needs(*ACCESS, ok=302),
        ),
        (
            "send a webhook a test event",
            "post",
            lambda: webhook_url("webhook_ping"),
            lambda: {"reason": "t"},
            {},
            needs(*ACCESS, ok=302),
        ),
        (
            "redeliver a webhook delivery",
            "post",
            lambda: webhook_url("redeliver"),
            lambda: {"reason": "t"},
            {},
            needs(*ACCESS, ok=302),
        ),
    ]


CASES = cases() + trust_cases()


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "headers", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_permission_matrix(as_user, who, name, method, url, data, headers, expected):
    client = as_user(None if who == "anonymous" else who)
    target = url()  # before the snapshot: some builders make what the URL names
    before = state()
    payload = data() if data else None
    response = getattr(client, method)(target, payload, headers=headers)
    want = expected[who]
    if want == LOGIN:
        assert response.status_code == 302, (name, who, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
    else:
        assert response.status_code == want, (name, who, response.status_code)
    if method == "post" and want in (LOGIN, 403, 404):
        assert state() == before, f"{who} was refused {name} but something changed"


WRITES = [case for case in CASES if case[1] != "get"]
# Who MFA_REQUIRED_FOR_WRITERS asks for a second factor (none of them has one here).
WRITERS = {"other_editor", "editor", "approver", "admin", "superuser"}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "headers", "expected"), WRITES, ids=[c[0] for c in WRITES]
)
def test_writers_without_a_second_factor_are_sent_to_set_one_up(
    as_user, settings, who, name, method, url, data, headers, expected
):
    """With MFA_REQUIRED_FOR_WRITERS on, every write of a writer without a factor is refused
    (to the setup page; htmx through HX-Redirect); everyone else is answered as above."""
    settings.MFA_REQUIRED_FOR_WRITERS = True
    client = as_user(None if who == "anonymous" else who)
    target = url()  # first: some URLs make what they name (an invitation)
    payload = data() if data else None
    before = state()
    response = getattr(client, method)(target, payload, headers=headers)
    if who not in WRITERS:
        want = expected[who]
        assert response.status_code == (302 if want == LOGIN else want), (name, who)
        return
    if headers.get("HX-Request"):
        assert response.headers.get("HX-Redirect") == "/accounts/2fa/", (name, who)
    else:
        assert (response.status_code, response.get("Location")) == (302, "/accounts/2fa/"), (
            name,
            who,
        )
    assert state() == before, f"{who} was refused {name} but something changed"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_editor"])
@pytest.mark.parametrize(
    "url",
    [
        "/providers/singlestore/",
        "/providers/singlestore/offerings/helios/",
        "/providers/singlestore/compare/",
        "/providers/singlestore/structure/",
        "/providers/singlestore/audit/",
        "/providers/singlestore/access/",
        "/providers/singlestore/cells/helios/compliance/edit/",
        "/providers/singlestore/trust/",
        "/trust/singlestore/",  # its trust center is off
        "/trust/singlestore/request/",
        "/trust/singlestore/subscribe/",
        "/trust/singlestore/feed.atom",
        "/api/v1/trust/singlestore/",
    ],
)
def test_private_provider_is_404_to_outsiders(as_user, who, url):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    client = as_user(None if who == "anonymous" else who)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_editor"])
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/trust/", 200),
        ("/trust/singlestore/", 200),
        ("/trust/singlestore/request/", 200),
        ("/api/v1/trust/singlestore/", 200),
        ("/trust/singlestore/subscribe/", 404),  # for those who may read it
        ("/trust/singlestore/feed.atom", 404),  # for public providers only
        ("/providers/singlestore/", 404),
    ],
)
def test_a_private_providers_enabled_trust_center_is_open_to_outsiders(as_user, who, url, status):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    trust_center_update(actor=None, provider=singlestore(), enabled=True)
    client = as_user(None if who == "anonymous" else who)
    response = client.get(url)
    assert response.status_code == status
    if url == "/trust/":
        assert "/trust/singlestore/" in response.content.decode()


@pytest.mark.parametrize("who", ["viewer", "auditor", "superuser"])
def test_private_provider_is_visible_to_its_role_holders(as_user, who):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    assert as_user(who).get("/providers/singlestore/").status_code == 200


def test_private_provider_is_left_out_of_home_and_search_for_outsiders(as_user):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    client = as_user("outsider")
    assert "/providers/singlestore/" not in client.get("/").content.decode()
    assert "SingleStore" not in client.get("/search/?q=cluster").content.decode()
    client = as_user("viewer")
    assert "/providers/singlestore/" in client.get("/").content.decode()


def test_signed_in_provider_needs_a_sign_in(as_user):
    Provider.objects.filter(slug="singlestore").update(visibility="signed-in")
    assert as_user(None).get("/providers/singlestore/").status_code == 404
    assert as_user("outsider").get("/providers/singlestore/").status_code == 200


GETS = [case for case in CASES if case[1] == "get"]


@pytest.mark.parametrize("who", ["anonymous", "viewer", "editor", "superuser"])
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "headers", "expected"), GETS, ids=[c[0] for c in GETS]
)
def test_every_page_answers_head_as_it_answers_get(
    as_user, who, name, method, url, data, headers, expected
):
    """Monitors and link checkers ask with HEAD: same status, same headers, no body."""
    client = as_user(None if who == "anonymous" else who)
    target = url()
    get = client.get(target, headers=headers)
    head = client.head(target, headers=headers)
    assert head.status_code == get.status_code, (name, who)
    assert head.get("Content-Type") == get.get("Content-Type")
    assert head.get("Location") == get.get("Location")
    assert (b"".join(head.streaming_content) if head.streaming else head.content) == b""


def test_the_health_check_answers_head():
    from django.test import Client

    assert Client().head("/healthz").status_code == 200
