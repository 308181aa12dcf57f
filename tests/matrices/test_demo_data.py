"""The demo data set: the shape and a handful of facts of each reference matrix."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from matrices.models import Cell, Duty, Ownership, Party, Provider

pytestmark = pytest.mark.django_db


def shape(slug: str) -> dict[str, int]:
    provider = Provider.objects.get(slug=slug)
    return {
        "offerings": provider.offerings.count(),
        "domains": provider.domains.count(),
        "parties": provider.parties.count(),
        "cells": provider.cells.count(),
        "na_cells": provider.cells.filter(ownership=Ownership.NOT_APPLICABLE).count(),
        "party_duty_lists": Duty.objects.filter(cell__provider=provider)
        .values("cell", "party")
        .distinct()
        .count(),
        "na_duty_lists": Duty.objects.filter(cell__provider=provider, not_applicable=True)
        .values("cell", "party")
        .distinct()
        .count(),
        "advanced": Duty.objects.filter(cell__provider=provider, advanced=True).count(),
    }


def duties(provider: str, domain: str, offering: str, party_role: str) -> list[Duty]:
    return list(
        Duty.objects.filter(
            cell__provider__slug=provider,
            cell__domain__slug=domain,
            cell__offering__slug=offering,
            party__role=party_role,
        )
    )


def texts(items: list[Duty]) -> str:
    return " ".join(d.text for d in items)


def test_singlestore_has_three_offerings_fifteen_domains_and_ninety_duties():
    assert shape("singlestore") == {
        "offerings": 3,
        "domains": 15,
        "parties": 2,
        "cells": 45,
        "na_cells": 2,  # management API: both parties N/A on Self-managed and on BYOC
        "party_duty_lists": 90,
        "na_duty_lists": 9,
        "advanced": 0,
    }


def test_singlestore_offerings_have_the_documented_kinds():
    kinds = dict(Provider.objects.get(slug="singlestore").offerings.values_list("name", "kind"))
    assert kinds == {
        "SingleStore Self-managed": "self-managed",
        "SingleStore Helios": "managed",
        "SingleStore Helios BYOC": "byoc",
    }


def test_singlestore_facts_carry_over():
    api = "management-api-controls-and-access"
    byoc_api = duties("singlestore", api, "helios-byoc", "customer")
    assert [d.not_applicable for d in byoc_api] == [True]
    assert "not supported" in byoc_api[0].text.lower()
    assert (
        Cell.objects.get(
            provider__slug="singlestore", domain__slug=api, offering__slug="helios"
        ).ownership
        == Ownership.SHARED
    )
    identity = texts(
        duties("singlestore", "identity-management-and-authentication", "self-managed", "provider")
    )
    for method in ("JWT", "SAML", "Kerberos"):
        assert method in identity
    assert "Grafana" in texts(
        duties("singlestore", "performance-monitoring-and-alerting", "helios-byoc", "customer")
    )
    assert "Enterprise" in texts(
        duties("singlestore", "high-availability-and-disaster-recovery", "helios-byoc", "provider")
    )


def test_clickhouse_has_three_parties_and_splits_customer_duties_by_surface():
    counts = shape("clickhouse")
    assert (counts["offerings"], counts["parties"], counts["cells"]) == (1, 3, counts["domains"])
    assert counts["domains"] >= 10
    roles = set(Party.objects.filter(provider__slug="clickhouse").values_list("role", flat=True))
    assert roles == {"cloud-provider", "provider", "customer"}
    scopes = set(
        Duty.objects.filter(cell__provider__slug="clickhouse", party__role="customer")
        .exclude(scope="")
        .values_list("scope", flat=True)
    )
    assert scopes == {"Cloud Console", "Database service"}


def test_clickhouse_marks_advanced_duties_and_links_its_documentation():
    advanced = Duty.objects.filter(cell__provider__slug="clickhouse", advanced=True)
    advanced_text = " ".join(advanced.values_list("text", flat=True)).lower()
    for feature in ("cmek", "backup", "field"):
        assert feature in advanced_text
    linked = Duty.objects.filter(
        cell__provider__slug="clickhouse", text_html__contains='href="https://clickhouse.com/docs'
    )
    assert linked.count() >= 10


def test_clickhouse_encryption_at_rest_holds_the_cmek_facts():
    cell_text = " ".join(
        Duty.objects.filter(
            cell__provider__slug="clickhouse", cell__domain__name__icontains="at rest"
        ).values_list("text", flat=True)
    )
    for fact in ("10 minutes", "AES-256-CTR", "5-15%", "rotat", "backup", "key policy"):
        assert fact.lower() in cell_text.lower(), fact


def test_astronomer_is_one_managed_offering_with_three_parties():
    counts = shape("astronomer")
    assert (counts["offerings"], counts["parties"]) == (1, 3)
    assert counts["cells"] == counts["domains"] >= 6
    physical = Duty.objects.filter(cell__provider__slug="astronomer", party__role="cloud-provider")
    assert "PCI" in " ".join(physical.values_list("text", flat=True))


def test_template_provider_has_iaas_paas_and_saas_offerings():
    provider = Provider.objects.get(slug="template")
    assert provider.is_template
    assert list(provider.offerings.values_list("service_model", flat=True)) == [
        "iaas",
        "paas",
        "saas",
    ]
    counts = shape("template")
    assert counts["cells"] == 3 * counts["domains"]


def test_every_demo_provider_links_its_sources():
    for provider in Provider.objects.all():
        assert provider.sources.exists(), provider
        assert all(
            url.startswith("https://") for url in provider.sources.values_list("url", flat=True)
        )


def _snapshot() -> list[tuple]:
    return [
        tuple(model.objects.order_by("pk").values_list()) for model in (Provider, Party, Cell, Duty)
    ]


def test_loaddemo_twice_changes_nothing():
    before = _snapshot()
    call_command("loaddemo", verbosity=0)
    call_command("loaddemo", verbosity=0)
    assert _snapshot() == before


def test_loaddemo_leaves_an_edited_provider_alone():
    Provider.objects.filter(slug="astronomer").update(summary="Edited in the portal.")
    call_command("loaddemo", verbosity=0)
    assert Provider.objects.get(slug="astronomer").summary == "Edited in the portal."


def test_loaddemo_reset_restores_the_demo_content():
    Duty.objects.filter(cell__provider__slug="astronomer").delete()
    call_command("loaddemo", reset=True, verbosity=0)
    assert Duty.objects.filter(cell__provider__slug="astronomer").exists()
