"""Access requests from the trust-center form: its defences against bots and floods, the
confirmation link delivered through a real SMTP server, the reader's account, and the
domain rule that approves at once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from audit.models import AuditRecord, ObjectType
from matrices.models import Provider
from tests.trust.access_kit import (
    REQUESTER,
    answers,
    link_in,
    pending_request,
    private_with_trust_center,
    records,
)
from trust.forms import HONEYPOT_FILLED, STALE, TAMPERED, TOO_FAST, request_stamp
from trust.models import AccessGrant, AccessRequest
from trust.requests import access_request_confirm, access_request_create
from trust.signals import trust_event

pytestmark = pytest.mark.django_db

FORM = "/trust/singlestore/request/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """What runs on commit (the emails, the webhook event) runs when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def provider(db) -> Provider:
    return private_with_trust_center()


def requested(client, provider, committed, mail, email: str = REQUESTER, **extra):
    with committed():
        response = client.post(FORM, answers(provider, email=email, **extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    return mail.wait_for(email)[-1]


def confirm(client, link: str, committed):
    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm my address" in page.content
    with committed():
        return client.post(link)


# The form's defences ---------------------------------------------------------------------


def test_the_form_shows_a_stamp_and_a_hidden_honeypot(client, provider):
    page = client.get(FORM).content.decode()
    assert 'name="stamp"' in page
    assert 'class="trust-honeypot" aria-hidden="true"' in page
    assert 'name="website"' in page
    assert 'tabindex="-1"' in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"age": 0.5}, TOO_FAST),
        ({"age": 25 * 3600}, STALE),
        ({"stamp": "not-a-signed-stamp"}, TAMPERED),
        ({"website": "https://spam.example"}, HONEYPOT_FILLED),
    ],
    ids=["sent-too-fast", "older-than-a-day", "tampered", "honeypot-filled"],
)
def test_it_refuses_what_a_bot_sends_and_writes_nothing(client, provider, mail, change, message):
    data = answers(provider, age=change.pop("age", 10))
    data.update(change)
    before = AuditRecord.objects.count()
    response = client.post(FORM, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AccessRequest.objects.exists()
    assert AuditRecord.objects.count() == before
    assert mail.messages(REQUESTER) == []


def test_a_stamp_of_another_provider_is_refused(client, provider):
    data = answers(provider)
    data["stamp"] = request_stamp(Provider.objects.get(slug="clickhouse"), at=0)
    response = client.post(FORM, data)
    assert response.status_code == 400
    assert not AccessRequest.objects.exists()


def test_it_rate_limits_requests_per_address(client, provider, settings):
    settings.TRUST_REQUESTS_PER_HOUR = 2
    for n in range(2):
        response = client.post(FORM, answers(provider, email=f"person{n}@bank.example"))
        assert response.status_code == 302
    response = client.post(FORM, answers(provider, email="third@bank.example"))
    assert response.status_code == 429
    assert "Too many access requests" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600
    assert not AccessRequest.objects.filter(email="third@bank.example").exists()
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(FORM, answers(provider, email="third@bank.example")).status_code == 302


def test_a_provider_without_an_enabled_trust_center_takes_no_requests(client, provider, users):
    clickhouse = Provider.objects.get(slug="clickhouse")  # public, no trust center
    form = "/trust/clickhouse/request/"
    assert client.get(form).status_code == 404
    assert client.post(form, answers(clickhouse)).status_code == 404
    assert not AccessRequest.objects.exists()


def test_a_private_provider_without_a_trust_center_stays_hidden(client, provider):
    provider.trust_center.enabled = False
    provider.trust_center.save()
    assert client.get(FORM).status_code == 404
    assert client.get("/trust/singlestore/").status_code == 404


def test_invalid_answers_re_render_the_form_with_errors(client, provider):
    response = client.post(FORM, answers(provider, email="not-an-address", company=""))
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not AccessRequest.objects.exists()


# The request and its link -----------------------------------------------------------------


def test_a_request_stores_only_the_digest_and_is_audited_without_the_token(
    client, provider, committed, mail
):
    message = requested(client, provider, committed, mail)
    token = link_in(message, "/trust/confirm/").split("/")[-2]
    made = AccessRequest.objects.get()
    assert made.status == AccessRequest.Status.UNCONFIRMED
    assert made.email == REQUESTER
    assert made.ip_address == "127.0.0.1"
    assert token not in made.digest
    assert len(made.digest) == 64
    (record,) = records(ObjectType.ACCESS_REQUEST, "create")
    assert record.after["email"] == REQUESTER
    assert token not in json.dumps(record.after)
    assert made.digest not in json.dumps(record.after)


def test_asking_again_while_unconfirmed_resends_a_new_link_and_kills_the_old(
    client, provider, committed, mail
):
    first = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
    mail.clear()
    second = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
    assert AccessRequest.objects.count() == 1
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert len(records(ObjectType.ACCESS_REQUEST, "resend")) == 1


def test_asking_again_while_pending_makes_no_second_request(client, provider, committed, mail):
    pending_request(provider)
    mail.clear()
    message = requested(client, provider, committed, mail)
    assert "still waiting" in mail.text(message)
    assert AccessRequest.objects.count() == 1


def test_confirming_makes_the_account_signs_it_in_and_waits_for_a_decision(
    client, provider, committed, mail, users
):
    manager = users["trust_manager"]
    manager.email = "trust@singlestore.example"
    manager.save()
    events = []

    def heard(sender, provider, event, payload, **kwargs):
        events.append((event, payload))

    trust_event.connect(heard)
    try:
        link = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
        response = confirm(client, link, committed)
    finally:
        trust_event.disconnect(heard)
    assert response.status_code == 302
    assert response["Location"] == "/trust/singlestore/"
    user = get_user_model().objects.get(email=REQUESTER)
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not user.has_usable_password()
    assert user.username == "ada"
    assert EmailAddress.objects.filter(
        user=user, email=REQUESTER, verified=True, primary=True
    ).exists()
    made = AccessRequest.objects.get()
    assert made.status == AccessRequest.Status.PENDING
    assert made.user == user
    assert len(records(ObjectType.ACCESS_REQUEST, "confirm")) == 1
    (made_user,) = AuditRecord.objects.filter(
        object_type=ObjectType.USER, action="create", object_id=str(user.pk)
    )
    assert made_user.after["via"] == "access request"
    ((event, payload),) = events
    assert event == "access.requested"
    assert payload == {
        "provider": "singlestore",
        "id": made.pk,
        "name": "Ada Lovelace",
        "email": REQUESTER,
        "company": "First Bank",
        "purpose": "Security review before we sign.",
    }
    (news,) = mail.wait_for("trust@singlestore.example")
    assert "/providers/singlestore/trust/requests/" in mail.text(news)
    page = client.get("/trust/singlestore/").content.decode()
    assert "waits for SingleStore" in page
    # The reader cannot read yet.
    assert client.get("/providers/singlestore/").status_code == 404


def test_names_in_an_email_subject_are_plain_text_on_one_line(provider, committed, mail, users):
    manager = users["trust_manager"]
    manager.email = "trust@singlestore.example"
    manager.save()
    with committed():
        made = access_request_create(
            provider=provider,
            name="Eve O'Brien\r\nBcc: victim@evil.example",
            email=REQUESTER,
            company="Smith & <Co>",
            purpose="Review.",
            base_url="http://testserver/",
        )
    with committed():
        access_request_confirm(access_request=made, base_url="http://testserver/")
    (news,) = mail.wait_for("trust@singlestore.example")
    assert news["Subject"] == (
        "[SRM Portal] Eve O'Brien Bcc: victim@evil.example (Smith & <Co>) asks to read SingleStore"
    )
    assert "Bcc" not in news
    assert mail.messages("victim@evil.example") == []


def test_the_link_works_once(client, provider, committed, mail):
    link = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
    confirm(client, link, committed)
    again = Client()
    assert again.get(link).status_code == 410
    assert again.post(link).status_code == 410
    assert len(records(ObjectType.ACCESS_REQUEST, "confirm")) == 1


def test_the_link_expires_after_a_day(client, provider, committed, mail):
    link = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
    AccessRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = client.post(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert AccessRequest.objects.get().status == AccessRequest.Status.UNCONFIRMED
    assert not get_user_model().objects.filter(email=REQUESTER).exists()


def test_an_unknown_link_says_nothing(client, provider):
    assert client.get("/trust/confirm/not-a-token/").status_code == 404


def test_an_existing_account_is_attached_but_not_signed_in(client, provider, committed, mail):
    existing = get_user_model().objects.create_user("ada-l", REQUESTER, "x-Pass-12345")
    EmailAddress.objects.create(user=existing, email=REQUESTER, verified=True, primary=True)
    link = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
    response = confirm(client, link, committed)
    assert response.status_code == 200
    assert "sign in as usual" in response.content.decode()
    assert SESSION_KEY not in client.session
    made = AccessRequest.objects.get()
    assert made.user == existing
    assert made.status == AccessRequest.Status.PENDING
    assert get_user_model().objects.filter(email=REQUESTER).count() == 1


def _claimed_unverified_by_mallory():
    """An account that put the requester's address on itself without ever proving it."""
    mallory = get_user_model().objects.create_user("mallory", "mallory@evil.example", "x-Pa55-1")
    EmailAddress.objects.create(user=mallory, email=REQUESTER, verified=False, primary=False)
    return mallory


def test_an_address_another_account_only_claims_does_not_hand_it_the_request(
    client, provider, committed, mail
):
    provider.trust_center.auto_approve_domains = ["bank.example"]
    provider.trust_center.save()
    mallory = _claimed_unverified_by_mallory()
    link = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
    response = confirm(client, link, committed)
    assert response.status_code == 409
    assert "sign in" in response.content.decode()
    assert SESSION_KEY not in client.session
    made = AccessRequest.objects.get()
    assert made.user is None
    assert made.status == AccessRequest.Status.UNCONFIRMED
    assert not AccessGrant.objects.filter(user=mallory).exists()
    assert not EmailAddress.objects.get(user=mallory, email=REQUESTER).verified


def test_the_claiming_account_signed_in_confirms_and_its_address_is_verified(
    client, provider, committed, mail
):
    owner = _claimed_unverified_by_mallory()  # here the genuine owner, who never verified
    link = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
    client.force_login(owner)
    response = confirm(client, link, committed)
    assert response.status_code == 302
    made = AccessRequest.objects.get()
    assert made.user == owner
    assert made.status == AccessRequest.Status.PENDING
    assert EmailAddress.objects.get(user=owner, email=REQUESTER).verified


def test_a_domain_approved_at_once_gives_access_for_the_default_days(
    client, provider, committed, mail
):
    provider.trust_center.auto_approve_domains = ["bank.example"]
    provider.trust_center.default_days = 10
    provider.trust_center.save()
    link = link_in(requested(client, provider, committed, mail), "/trust/confirm/")
    mail.clear()
    confirm(client, link, committed)
    made = AccessRequest.objects.get()
    assert made.status == AccessRequest.Status.APPROVED
    assert made.auto_approved
    assert made.decided_by is None
    grant = AccessGrant.objects.get(request=made)
    assert grant.granted_by is None
    expected = timezone.now() + timedelta(days=10)
    assert abs((grant.expires_at - expected).total_seconds()) < 60
    (approval,) = records(ObjectType.ACCESS_REQUEST, "approve")
    assert approval.actor_id is None
    assert approval.after["auto_approved"] is True
    assert client.get("/providers/singlestore/").status_code == 200
    assert mail.wait_for(REQUESTER)  # the grant's email


def test_another_domain_is_not_approved_at_once(provider):
    provider.trust_center.auto_approve_domains = ["bank.example"]
    provider.trust_center.save()
    made = pending_request(provider, email="eve@notbank.example")
    assert made.status == AccessRequest.Status.PENDING
    assert not AccessGrant.objects.exists()


def test_the_service_refuses_a_provider_without_a_trust_center():
    with pytest.raises(ValidationError):
        access_request_create(
            provider=Provider.objects.get(slug="clickhouse"),
            name="A",
            email="a@b.example",
            company="C",
            purpose="D",
        )
    assert not AccessRequest.objects.exists()
