"""Subscriptions over the API: the form's rules (202 whatever the address's state, gated
providers for their readers only, throttled), and the managers' list of subscribers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Visibility
from audit.models import AuditAction, AuditRecord, ObjectType
from matrices.models import Provider
from tests.trust.subscribing import (
    confirm,
    delivered,
    sending,  # noqa: F401 - a fixture
)
from trust.models import Subscription

# Emails go once the write commits (here, at once), and the notice task runs here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sending")]

ANN = "ann@customer.example"
SUBSCRIBE = "/api/v1/trust/{}/subscriptions/"
SUBSCRIBERS = "/api/v1/providers/{}/trust/subscribers/"


def post(client, slug: str, body: dict):
    return client.post(SUBSCRIBE.format(slug), body, content_type="application/json")


def private(provider: Provider) -> None:
    Provider.objects.filter(pk=provider.pk).update(visibility=Visibility.PRIVATE)


def test_anyone_subscribes_to_a_public_provider_and_confirms_by_email(client, mail, singlestore):
    response = post(client, "singlestore", {"email": ANN})
    assert response.status_code == 202
    assert "confirmation link" in response.json()["detail"]
    subscription = Subscription.objects.get(provider=singlestore, email=ANN)
    assert subscription.user is None
    assert subscription.confirmed_at is None
    confirm(client, mail, ANN)
    subscription.refresh_from_db()
    assert subscription.is_active
    assert AuditRecord.objects.filter(
        object_type=ObjectType.SUBSCRIPTION,
        object_id=str(subscription.pk),
        action=AuditAction.CREATE,
    ).exists()


def test_asking_again_answers_the_same_and_makes_no_second_subscription(client, mail, singlestore):
    first = post(client, "singlestore", {"email": ANN})
    confirm(client, mail, ANN)
    second = post(client, "singlestore", {"email": ANN.upper()})
    assert (first.status_code, first.json()) == (second.status_code, second.json())
    assert Subscription.objects.filter(email=ANN).count() == 1
    assert len(delivered(mail, ANN, count=2)) == 2


@pytest.mark.parametrize(
    "body",
    [{"email": "not-an-address"}, {}, {"email": ANN, "website": "x"}, {"email": ["a@b.c"]}],
)
def test_bad_input_is_refused_with_a_reason_and_writes_nothing(client, mail, singlestore, body):
    response = post(client, "singlestore", body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert not Subscription.objects.exists()


def test_a_gated_provider_is_not_found_to_anonymous_visitors(client, mail, singlestore):
    private(singlestore)
    assert post(client, "singlestore", {"email": ANN}).status_code == 404
    assert not Subscription.objects.exists()
    assert mail.messages() == []


def test_a_reader_of_a_gated_provider_subscribes_their_own_address(
    as_user, users, mail, singlestore
):
    private(singlestore)
    users["viewer"].email = "vera@customer.example"
    users["viewer"].save()
    client = as_user("viewer")
    refused = post(client, "singlestore", {"email": "else@example.com"})
    assert refused.status_code == 400
    assert not Subscription.objects.exists()
    assert post(client, "singlestore", {}).status_code == 202
    subscription = Subscription.objects.get(provider=singlestore)
    assert (subscription.email, subscription.user) == ("vera@customer.example", users["viewer"])


def test_subscribing_is_throttled_per_address(client, mail, settings, singlestore):
    settings.TRUST_SUBSCRIPTIONS_PER_HOUR = 2
    for n in range(2):
        assert post(client, "singlestore", {"email": f"p{n}@example.com"}).status_code == 202
    refused = post(client, "singlestore", {"email": "p2@example.com"})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert not Subscription.objects.filter(email="p2@example.com").exists()


def test_the_form_and_the_api_share_one_count_per_address(client, mail, settings, singlestore):
    settings.TRUST_SUBSCRIPTIONS_PER_HOUR = 2
    form = reverse("trust:subscribe", args=["singlestore"])
    assert client.post(form, {"email": "p0@example.com", "website": ""}).status_code == 302
    assert post(client, "singlestore", {"email": "p1@example.com"}).status_code == 202
    assert post(client, "singlestore", {"email": "p2@example.com"}).status_code == 429
    assert client.post(form, {"email": "p3@example.com", "website": ""}).status_code == 429
    assert not Subscription.objects.filter(email__in=["p2@example.com", "p3@example.com"])


@pytest.mark.parametrize(
    ("who", "expected"),
    [("trust_manager", 200), ("admin", 200), ("viewer", 403), ("outsider", 404), (None, 404)],
)
def test_the_subscribers_list_is_for_those_who_manage_the_trust_center(
    as_user, singlestore, who, expected
):
    private(singlestore)
    Subscription.objects.create(provider=singlestore, email="x@example.com", digest="0" * 64)
    response = as_user(who).get(SUBSCRIBERS.format("singlestore"))
    assert response.status_code == expected
    if expected == 200:
        (row,) = response.json()["results"]
        assert (row["email"], row["status"], row["user"]) == ("x@example.com", "pending", None)


def test_the_subscribers_list_of_a_public_provider_asks_visitors_to_sign_in(singlestore):
    response = Client().get(SUBSCRIBERS.format("singlestore"))
    assert response.status_code == 401


def test_the_schema_describes_both_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "post" in schema["paths"]["/api/v1/trust/{slug}/subscriptions/"]
    assert "get" in schema["paths"]["/api/v1/providers/{provider_slug}/trust/subscribers/"]
