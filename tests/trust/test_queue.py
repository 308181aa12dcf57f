"""The provider team's trust-center pages: who may use them, the settings, the queue's
decisions (approve with an expiry and offerings, deny with a reason) and the readers'
extend and revoke; every write audited."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import ProviderUserRole
from audit.models import AuditRecord, ObjectType
from matrices.models import Provider
from tests.trust.access_kit import (
    REQUESTER,
    pending_request,
    private_with_trust_center,
    reader,
    records,
)
from trust.forms import ExtendForm
from trust.models import AccessGrant, AccessRequest, TrustCenter
from trust.requests import access_request_approve

pytestmark = pytest.mark.django_db

TEAM = "/providers/singlestore/trust/"
QUEUE = TEAM + "requests/"
READERS = TEAM + "readers/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def provider(db) -> Provider:
    return private_with_trust_center()


def approve(client, pk: int, *, days: int = 1, offerings=(), committed=None):
    data = {f"approve-{pk}-expires_on": (timezone.localdate() + timedelta(days=days)).isoformat()}
    if offerings:
        data[f"approve-{pk}-offerings"] = list(offerings)
    return client.post(f"{QUEUE}{pk}/approve/", data)


# Who may use them ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "requests/", "readers/"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("trust_manager", 200),
        ("admin", 200),
        ("superuser", 200),
        ("editor", 403),
        ("viewer", 403),
        ("outsider", 404),
    ],
)
def test_only_admins_and_trust_managers_see_the_team_pages(as_user, provider, path, who, status):
    assert as_user(who).get(TEAM + path).status_code == status


def test_a_visitor_is_sent_to_sign_in_where_the_provider_is_public(client, provider):
    assert client.get(QUEUE).status_code == 404  # private: it does not exist for them
    response = client.get("/providers/clickhouse/trust/requests/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("outsider", 404), ("viewer", 403)])
def test_others_cannot_decide_and_nothing_changes(as_user, provider, who, status):
    made = pending_request(provider)
    client = as_user(who)
    before = AuditRecord.objects.count()
    assert approve(client, made.pk).status_code == status
    assert (
        client.post(f"{QUEUE}{made.pk}/deny/", {f"deny-{made.pk}-reason": "no"}).status_code
        == status
    )
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING
    assert AuditRecord.objects.count() == before


# Settings --------------------------------------------------------------------------------


def test_the_settings_are_saved_and_audited_with_before_and_after(as_user, provider):
    response = as_user("trust_manager").post(
        TEAM,
        {
            "enabled": "on",
            "introduction": "Hello <b>there</b>",
            "default_days": "14",
            "auto_approve_domains": "Bank.example\n@partner.example\n\n",
            "reason": "open it",
        },
    )
    assert response.status_code == 302
    center = TrustCenter.objects.get(provider=provider)
    assert center.default_days == 14
    assert center.auto_approve_domains == ["bank.example", "partner.example"]
    assert "<b>" not in center.introduction
    record = records(ObjectType.TRUST_CENTER, "update")[0]
    assert record.before["default_days"] == 30
    assert record.after["default_days"] == 14
    assert record.reason == "open it"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("default_days", "0", "greater than or equal to 1"),
        ("default_days", "400", "less than or equal to 366"),
        ("auto_approve_domains", "bank.example\nnot a domain", "Not a domain name: not a domain"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(as_user, provider, field, value, message):
    data = {"enabled": "on", "default_days": "30", "auto_approve_domains": "", field: value}
    client = as_user("admin")
    before = AuditRecord.objects.count()
    response = client.post(TEAM, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert TrustCenter.objects.get(provider=provider).default_days == 30
    assert AuditRecord.objects.count() == before


# The queue -------------------------------------------------------------------------------


def test_the_queue_lists_pending_requests_first(as_user, provider, users):
    first = pending_request(provider, "ada@bank.example", "Ada Lovelace")
    pending_request(provider, "grace@insure.example", "Grace Hopper")
    decided = pending_request(provider, "alan@cloud.example", "Alan Turing")
    access_request_approve(
        actor=users["admin"], access_request=decided, expires_at=timezone.now() + timedelta(days=3)
    )
    page = as_user("trust_manager").get(QUEUE).content.decode()
    assert page.index("Ada Lovelace") < page.index("Grace Hopper") < page.index("Alan Turing")
    assert page.count("Approve</button>") == 2
    assert f'action="{QUEUE}{first.pk}/approve/"' in page


def test_approval_with_an_expiry_and_offerings_lets_the_reader_read_until_it_ends(
    as_user, provider, committed, mail
):
    made = pending_request(provider)
    requester = reader()
    client = as_user("trust_manager")
    with committed():
        response = approve(client, made.pk, days=1, offerings=["helios"])
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.APPROVED
    assert made.decided_by.username == "demo-trust_manager"
    grant = AccessGrant.objects.get(request=made)
    assert [o.slug for o in grant.offerings.all()] == ["helios"]
    assert grant.expires_at.date() == timezone.localdate() + timedelta(days=1)
    (record,) = records(ObjectType.ACCESS_REQUEST, "approve")
    assert record.before["status"] == "pending"
    assert record.after["status"] == "approved"
    assert records(ObjectType.ACCESS_GRANT, "grant")
    (email,) = mail.wait_for(REQUESTER)
    assert "until" in mail.text(email)
    # The reader reads the private provider ...
    client.force_login(requester)
    assert client.get("/providers/singlestore/").status_code == 200
    # ... until the time runs out: every path refuses at once.
    past = timezone.now() - timedelta(minutes=1)
    AccessGrant.objects.filter(pk=grant.pk).update(expires_at=past)
    ProviderUserRole.objects.filter(user=requester, content_object=provider).update(expires_at=past)
    assert client.get("/providers/singlestore/").status_code == 404
    assert client.get("/api/v1/providers/singlestore/").status_code == 404


def test_approval_refuses_an_expiry_beyond_the_maximum(as_user, provider, settings):
    made = pending_request(provider)
    response = approve(as_user("admin"), made.pk, days=settings.TRUST_MAX_DAYS + 5)
    assert response.status_code == 400
    assert f"at most {settings.TRUST_MAX_DAYS} days" in response.content.decode()
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING
    assert not AccessGrant.objects.exists()


def test_a_request_is_decided_once(as_user, provider):
    made = pending_request(provider)
    client = as_user("trust_manager")
    assert approve(client, made.pk).status_code == 302
    # A second manager's page, still showing the request as waiting:
    response = client.post(f"{QUEUE}{made.pk}/deny/", {f"deny-{made.pk}-reason": "changed my mind"})
    assert response.status_code == 409
    assert "already approved by demo-trust_manager" in response.content.decode()
    assert AccessRequest.objects.get().status == AccessRequest.Status.APPROVED
    assert records(ObjectType.ACCESS_REQUEST, "deny") == []


def test_denial_needs_a_reason_and_emails_it_to_the_requester(as_user, provider, committed, mail):
    made = pending_request(provider)
    client = as_user("admin")
    response = client.post(f"{QUEUE}{made.pk}/deny/", {f"deny-{made.pk}-reason": "  "})
    assert response.status_code == 400
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING
    mail.clear()
    with committed():
        response = client.post(
            f"{QUEUE}{made.pk}/deny/", {f"deny-{made.pk}-reason": "We only share with customers."}
        )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.DENIED
    assert made.reason == "We only share with customers."
    (record,) = records(ObjectType.ACCESS_REQUEST, "deny")
    assert record.reason == "We only share with customers."
    (email,) = mail.wait_for(REQUESTER)
    assert "We only share with customers." in mail.text(email)
    assert not AccessGrant.objects.exists()


def test_a_request_of_another_provider_is_not_found(as_user, provider):
    clickhouse = private_with_trust_center("clickhouse")
    made = pending_request(clickhouse)
    assert approve(as_user("trust_manager"), made.pk).status_code == 404
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING


# Readers ---------------------------------------------------------------------------------


@pytest.fixture
def grant(provider, users) -> AccessGrant:
    made = pending_request(provider)
    return access_request_approve(
        actor=users["admin"], access_request=made, expires_at=timezone.now() + timedelta(days=3)
    )


def test_the_readers_page_lists_live_and_ended_access(as_user, grant):
    page = as_user("trust_manager").get(READERS).content.decode()
    assert REQUESTER in page
    assert "Revoke now" in page


def test_extending_moves_the_end_and_is_audited(as_user, grant):
    day = timezone.localdate() + timedelta(days=20)
    response = as_user("trust_manager").post(
        f"{READERS}{grant.pk}/extend/",
        {f"extend-{grant.pk}-expires_on": day.isoformat(), f"extend-{grant.pk}-reason": "renewal"},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.expires_at.date() == day
    (record,) = records(ObjectType.ACCESS_GRANT, "extend")
    assert record.reason == "renewal"
    assert record.before["expires_at"] != record.after["expires_at"]


def test_revoking_ends_reading_at_once_and_is_audited(as_user, client, grant):
    response = as_user("admin").post(
        f"{READERS}{grant.pk}/revoke/", {f"revoke-{grant.pk}-reason": "contract ended"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert grant.end_reason == "contract ended"
    assert len(records(ObjectType.ACCESS_GRANT, "revoke")) == 1
    client.force_login(reader())
    assert client.get("/providers/singlestore/").status_code == 404
    page = as_user("admin").get(READERS).content.decode()
    assert "contract ended" in page


def test_revoking_needs_a_reason(as_user, grant):
    response = as_user("admin").post(f"{READERS}{grant.pk}/revoke/", {})
    assert response.status_code == 400
    grant.refresh_from_db()
    assert grant.ended_at is None


def test_an_editor_cannot_revoke(as_user, grant):
    response = as_user("editor").post(
        f"{READERS}{grant.pk}/revoke/", {f"revoke-{grant.pk}-reason": "x"}
    )
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.ended_at is None


def test_a_day_chosen_for_the_end_lasts_to_its_end_in_the_portal_time_zone(settings):
    """Whatever zone a request has activated, "until 10 March" ends as 10 March ends in
    TIME_ZONE (the zone the pages and emails show dates in), and the form says which."""
    day = timezone.localdate() + timedelta(days=3)
    with timezone.override(ZoneInfo("America/New_York")):
        form = ExtendForm({"expires_on": day.isoformat()})
        assert form.is_valid(), form.errors
        ends = form.expires_at
    portal = ZoneInfo(settings.TIME_ZONE)
    assert ends.astimezone(portal).date() == day
    assert ends + timedelta(microseconds=1) == datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=portal
    )
    assert settings.TIME_ZONE in str(form.fields["expires_on"].help_text)
