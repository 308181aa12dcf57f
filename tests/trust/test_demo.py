"""The trust-center demo (``loadtrustdemo``): what it makes, and that a second run changes
nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.roles import Visibility
from audit.models import AuditRecord
from matrices.models import Provider
from trust.demo import trust_demo_load
from trust.models import (
    AccessGrant,
    AccessRequest,
    Nda,
    NdaAcceptance,
    ReadEvent,
    Subscription,
    TrustCenter,
)

pytestmark = pytest.mark.django_db


def counts() -> dict:
    models = (
        AuditRecord,
        AccessGrant,
        AccessRequest,
        Nda,
        NdaAcceptance,
        ReadEvent,
        Subscription,
        TrustCenter,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_gates_clickhouse_behind_its_trust_center_with_readers_and_reading():
    trust_demo_load(production=False)
    clickhouse = Provider.objects.get(slug="clickhouse")
    assert clickhouse.visibility == Visibility.PRIVATE
    assert clickhouse.trust_center.enabled
    assert clickhouse.trust_center.auto_approve_domains == ["northwind-bank.example"]
    assert Nda.objects.filter(provider=clickhouse).count() == 1
    pending = AccessRequest.objects.filter(provider=clickhouse, status="pending")
    assert pending.count() == 2
    live = AccessGrant.objects.filter(provider=clickhouse, ended_at__isnull=True)
    assert sorted(g.user.username for g in live) == ["demo-reader", "demo-reader-2"]
    ending = live.get(user__username="demo-reader-2")
    assert ending.expires_at < timezone.now() + timedelta(days=5, minutes=1)
    accepted = NdaAcceptance.objects.filter(nda__provider=clickhouse)
    assert [a.user.username for a in accepted] == ["demo-reader"]
    events = ReadEvent.objects.filter(provider=clickhouse)
    assert events.count() >= 200
    assert events.values("company").distinct().count() == 5
    assert events.filter(at__lt=timezone.now() - timedelta(days=61)).count() == 0


def test_the_demo_opens_singlestores_trust_center_with_two_subscribers():
    trust_demo_load(production=False)
    singlestore = Provider.objects.get(slug="singlestore")
    assert singlestore.visibility == Visibility.PUBLIC
    assert singlestore.trust_center.enabled
    subscribed = Subscription.objects.filter(provider=singlestore, confirmed_at__isnull=False)
    assert subscribed.count() == 2


def test_the_demo_is_audited_through_the_services():
    last = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    trust_demo_load(production=False)
    types = set(AuditRecord.objects.filter(pk__gt=last).values_list("object_type", flat=True))
    assert {"trust-center", "nda", "access-request", "access-grant", "subscription"} <= types


def test_loading_the_demo_twice_changes_nothing():
    trust_demo_load(production=False)
    first = counts()
    center_saved = TrustCenter.objects.get(provider__slug="clickhouse").updated_at
    trust_demo_load(production=False)
    assert counts() == first
    assert TrustCenter.objects.get(provider__slug="clickhouse").updated_at == center_saved


def test_the_command_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("loadtrustdemo")
    assert not TrustCenter.objects.exists()
