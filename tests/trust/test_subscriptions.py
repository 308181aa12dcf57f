"""Subscriptions to new versions: double opt-in, the publication notice (what moves to the
customer first), one-click unsubscribe, gated providers, and the team's list."""

from __future__ import annotations

import smtplib
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from accounts.roles import Role, Visibility
from accounts.services import role_set
from audit.models import AuditAction, AuditRecord, ObjectType
from matrices.models import Provider
from tests.factories import publish
from tests.trust.subscribing import (
    acme,
    acme_second_version,
    confirm,
    delivered,
    link,
    sending,  # noqa: F401 - a fixture
    subscribe,
)
from trust.models import Subscription
from trust.subscriptions import subscription_request

# Emails go once the write commits (here, at once), and the notice task runs here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sending")]

ANN = "ann@customer.example"


def audit_actions(subscription: Subscription) -> list[str]:
    return list(
        AuditRecord.objects.filter(
            object_type=ObjectType.SUBSCRIPTION, object_id=str(subscription.pk)
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )


def private(provider: Provider) -> Provider:
    Provider.objects.filter(pk=provider.pk).update(visibility=Visibility.PRIVATE)
    provider.refresh_from_db()
    return provider


def test_it_emails_nothing_on_publication_before_the_address_confirms(client, mail):
    provider = acme()
    response = subscribe(client, "acme", ANN)
    assert response.status_code == 302
    assert response["Location"] == reverse("trust:subscribe_sent", args=["acme"])
    assert "Check your inbox" in client.get(response["Location"]).content.decode()
    acme_second_version(provider)
    (only,) = delivered(mail, ANN)
    assert "Confirm your subscription" in only["Subject"]
    subscription = Subscription.objects.get(provider=provider, email=ANN)
    assert subscription.confirmed_at is None
    assert audit_actions(subscription) == [AuditAction.CREATE]


def test_the_confirmation_link_confirms_once_and_only_with_the_button(client, mail):
    acme()
    subscribe(client, "acme", ANN)
    path = link(mail, ANN, "/confirm/")
    page = client.get(path)
    assert page.status_code == 200
    assert b"Confirm</button>" in page.content
    subscription = Subscription.objects.get(email=ANN)
    assert subscription.confirmed_at is None  # opening the link (a scanner) confirms nothing
    assert client.post(path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_active
    again = client.post(path)
    assert again.status_code == 404
    assert b"already used" in again.content
    assert client.get(path).status_code == 404
    assert audit_actions(subscription) == [AuditAction.CREATE, AuditAction.CONFIRM]


def test_only_the_digest_of_the_confirmation_token_is_stored(client, mail):
    acme()
    subscribe(client, "acme", ANN)
    token = link(mail, ANN, "/confirm/").split("/")[-3]
    subscription = Subscription.objects.get(email=ANN)
    assert token not in subscription.digest
    assert len(subscription.digest) == 64


def test_the_notice_lists_what_moves_to_the_customer_first_with_the_version_and_its_links(
    client, mail
):
    provider = acme()
    subscribe(client, "acme", ANN)
    confirm(client, mail, ANN)
    version = acme_second_version(provider)
    notice = delivered(mail, ANN, count=2)[-1]
    text = mail.text(notice)
    assert notice["Subject"].endswith("Acme published version 2: duties move to the customer")
    assert "published version 2 of its shared-responsibility matrix" in text
    assert "Summary: Keys are now yours to rotate." in text
    moving, other = text.index("WHAT MOVES TO THE CUSTOMER"), text.index("OTHER CHANGES")
    keys, logs = text.index("* Keys: now Customer-owned (was Provider-owned)"), text.index("* Logs")
    assert moving < keys < other < logs
    assert "New for the customer: Rotate the keys every year." in text
    assert "Backups" not in text  # unchanged
    version_path = version.get_absolute_url()
    diff_path = reverse("matrices:version_diff", args=["acme", 1, 2])
    links = list(mail.links(notice))
    assert any(url.endswith(version_path) for url in links)
    assert any(url.endswith(diff_path) for url in links)
    assert client.get(diff_path).status_code == 200
    assert notice.get_body(preferencelist=("html",)) is not None


def test_every_email_carries_the_one_click_unsubscribe_headers(client, mail):
    provider = acme()
    subscribe(client, "acme", ANN)
    confirm(client, mail, ANN)
    acme_second_version(provider)
    confirmation, notice = delivered(mail, ANN, count=2)
    for message in (confirmation, notice):
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        header = str(message["List-Unsubscribe"]).strip()
        assert header.startswith("<http")
        assert header.endswith("/unsubscribe/>")
    assert str(notice["List-Unsubscribe"]).strip() in {f"<{url}>" for url in mail.links(notice)}


def test_the_one_click_post_unsubscribes_without_a_session_or_csrf_token(client, mail):
    provider = acme()
    subscribe(client, "acme", ANN)
    confirm(client, mail, ANN)
    url = str(delivered(mail, ANN)[-1]["List-Unsubscribe"]).strip().strip("<>")
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        urlsplit(url).path, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscription = Subscription.objects.get(email=ANN)
    assert subscription.unsubscribed_at is not None
    assert audit_actions(subscription)[-1] == AuditAction.DELETE
    acme_second_version(provider)
    assert len(mail.messages(ANN)) == 1  # the confirmation only: no notice after unsubscribing


def test_opening_the_unsubscribe_link_only_shows_a_button(client, mail):
    acme()
    subscribe(client, "acme", ANN)
    confirm(client, mail, ANN)
    path = link(mail, ANN, "/unsubscribe/")
    page = Client().get(path)
    assert page.status_code == 200
    assert b"Unsubscribe</button>" in page.content
    assert Subscription.objects.get(email=ANN).is_active


def test_a_forged_unsubscribe_link_is_not_found(client, mail):
    acme()
    subscribe(client, "acme", ANN)
    path = link(mail, ANN, "/unsubscribe/")
    forged = path.replace("/unsubscribe/", "x/unsubscribe/")
    assert Client().post(forged).status_code == 404
    assert Subscription.objects.get(email=ANN).unsubscribed_at is None


def test_asking_again_sends_again_answers_the_same_and_makes_no_second_subscription(client, mail):
    acme()
    first = subscribe(client, "acme", ANN)
    old_link = link(mail, ANN, "/confirm/")
    second = subscribe(client, "acme", ANN)
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert Subscription.objects.filter(email=ANN).count() == 1
    new_link = link(mail, ANN, "/confirm/")
    assert len(mail.messages(ANN)) == 2
    assert new_link != old_link
    assert client.get(old_link).status_code == 404  # replaced by the newer one
    confirm(client, mail, ANN)
    third = subscribe(client, "acme", ANN)
    assert (third.status_code, third["Location"]) == (first.status_code, first["Location"])
    assert Subscription.objects.filter(email=ANN).count() == 1
    assert Subscription.objects.get(email=ANN).is_active
    reminder = delivered(mail, ANN, count=3)[-1]
    assert "already subscribed" in mail.text(reminder)
    actions = audit_actions(Subscription.objects.get(email=ANN))
    assert actions == [
        AuditAction.CREATE,
        AuditAction.RESEND,
        AuditAction.CONFIRM,
        AuditAction.RESEND,
    ]


def test_anonymous_visitors_cannot_subscribe_to_a_gated_provider(client, mail, singlestore):
    for visibility in (Visibility.PRIVATE, Visibility.SIGNED_IN):
        Provider.objects.filter(pk=singlestore.pk).update(visibility=visibility)
        assert client.get(reverse("trust:subscribe", args=["singlestore"])).status_code == 404
        assert subscribe(client, "singlestore", ANN).status_code == 404
        singlestore.refresh_from_db()
        with pytest.raises(PermissionDenied):
            subscription_request(provider=singlestore, email=ANN, user=None)
    assert not Subscription.objects.exists()
    assert mail.messages() == []


def test_a_signed_in_reader_subscribes_their_own_address_tied_to_their_account(
    as_user, users, mail, singlestore
):
    private(singlestore)
    client = as_user("viewer")
    users["viewer"].email = "vera@customer.example"
    users["viewer"].save()
    page = client.get(reverse("trust:subscribe", args=["singlestore"]))
    assert b'value="vera@customer.example"' in page.content
    assert b"disabled" in page.content
    subscribe(client, "singlestore", "someone.else@example.com")
    subscription = Subscription.objects.get(provider=singlestore)
    assert (subscription.email, subscription.user) == ("vera@customer.example", users["viewer"])
    assert delivered(mail, "vera@customer.example")
    assert mail.messages("someone.else@example.com") == []


def test_a_subscriber_who_lost_access_to_a_gated_provider_gets_no_notice(client, users, mail):
    provider = private(acme())
    for key, address in (("viewer", "vera@customer.example"), ("auditor", "aud@example.com")):
        role_set(actor=None, provider=provider, principal=users[key], role=Role.VIEWER)
        users[key].email = address
        users[key].save()
        client.force_login(users[key])
        subscribe(client, "acme", "")
        confirm(client, mail, address)
    client.logout()
    role_set(actor=None, provider=provider, principal=users["viewer"], role=None)
    acme_second_version(provider)
    assert len(delivered(mail, "aud@example.com", count=2)) == 2  # the confirmation, the notice
    assert len(mail.messages("vera@customer.example")) == 1  # the confirmation only


def test_anonymous_subscribers_hear_nothing_once_the_provider_is_no_longer_public(client, mail):
    provider = acme()
    subscribe(client, "acme", ANN)
    confirm(client, mail, ANN)
    private(provider)
    acme_second_version(provider)
    assert len(mail.messages(ANN)) == 1


def test_a_failed_delivery_is_logged_and_the_others_still_go(client, mail, monkeypatch, caplog):
    provider = acme()
    for address in (ANN, "bob@customer.example"):
        subscribe(client, "acme", address)
        confirm(client, mail, address)
    send = EmailMessage.send

    def flaky(message, *args, **kwargs):
        if ANN in message.to:
            raise smtplib.SMTPRecipientsRefused({ANN: (550, b"no")})
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    acme_second_version(provider)
    assert len(delivered(mail, "bob@customer.example", count=2)) == 2
    assert len(mail.messages(ANN)) == 1
    assert "not sent: SMTPRecipientsRefused" in caplog.text
    assert ANN not in caplog.text


def test_the_honeypot_writes_nothing_and_answers_as_to_a_person(client, mail):
    acme()
    response = subscribe(client, "acme", ANN, website="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("trust:subscribe_sent", args=["acme"])
    assert not Subscription.objects.exists()
    assert mail.messages() == []


def test_an_invalid_address_re_renders_the_form_with_its_error(client, mail):
    acme()
    response = subscribe(client, "acme", "not-an-address")
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert not Subscription.objects.exists()


def test_the_form_is_rate_limited_per_address(client, mail, settings):
    settings.TRUST_SUBSCRIPTIONS_PER_HOUR = 2
    acme()
    for n in range(2):
        assert subscribe(client, "acme", f"p{n}@example.com").status_code == 302
    refused = subscribe(client, "acme", "p2@example.com")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert b"Too many requests" in refused.content
    assert not Subscription.objects.filter(email="p2@example.com").exists()


def test_the_notice_of_a_first_version_says_so(client, users, mail):
    provider = acme_unpublished = acme("fresh", published=False)
    users["admin"].email = "adm@example.com"
    users["admin"].save()
    role_set(actor=None, provider=provider, principal=users["admin"], role=Role.ADMIN)
    client.force_login(users["admin"])
    subscribe(client, "fresh", "")
    confirm(client, mail, "adm@example.com")
    publish(acme_unpublished, summary="First version.")
    notice = delivered(mail, "adm@example.com", count=2)[-1]
    assert "This is its first published version: 1 offering, 3 control domains." in mail.text(
        notice
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [("trust_manager", 200), ("admin", 200), ("viewer", 403), ("outsider", 404), (None, 404)],
)
def test_the_subscribers_page_is_for_those_who_manage_the_trust_center(
    as_user, users, singlestore, who, expected
):
    private(singlestore)
    Subscription.objects.create(provider=singlestore, email="x@example.com", digest="0" * 64)
    response = as_user(who).get(reverse("trust:subscribers", args=["singlestore"]))
    assert response.status_code == expected
    assert (b"x@example.com" in response.content) == (expected == 200)


def test_the_subscribers_page_says_where_each_subscription_stands(
    client, as_user, users, mail, singlestore
):
    for address in ("pending@example.com", "active@example.com", "gone@example.com"):
        subscribe(client, "singlestore", address)
    confirm(client, mail, "active@example.com")
    confirm(client, mail, "gone@example.com")
    Client().post(link(mail, "gone@example.com", "/unsubscribe/"))
    page = as_user("trust_manager").get(reverse("trust:subscribers", args=["singlestore"]))
    rows = {
        line.split("</th>")[0].rsplit(">", 1)[-1]: line
        for line in page.content.decode().split('<th scope="row">')[1:]
    }
    assert "Waiting for confirmation" in rows["pending@example.com"]
    assert "Subscribed" in rows["active@example.com"]
    assert "Unsubscribed" in rows["gone@example.com"]
