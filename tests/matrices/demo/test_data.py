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


def _snapshot() -> list[tuple]:
    return [
        tuple(model.objects.order_by("pk").values_list()) for model in (Provider, Party, Cell, Duty)
    ]


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


def test_singlestore_names_the_api_domain_as_the_source_does():
    domain = Provider.objects.get(slug="singlestore").domains.get(
        slug="management-api-controls-and-access"
    )
    assert domain.name == "(Management) API controls and access"


def test_singlestore_helios_api_keys_and_strong_algorithms_are_two_duties():
    items = [
        d.text
        for d in duties("singlestore", "management-api-controls-and-access", "helios", "provider")
    ]
    assert len(items) == 3
    keys = [t for t in items if "API keys" in t]
    algorithms = [t for t in items if "cryptographically strong algorithms" in t]
    assert len(keys) == len(algorithms) == 1
    assert keys != algorithms


def test_singlestore_byoc_allows_only_private_load_balancers():
    text = texts(duties("singlestore", "application-security", "helios-byoc", "provider"))
    assert "the only load balancers that can be created are private ones" in text


def test_singlestore_byoc_secrets_are_the_customers():
    cell = Cell.objects.get(
        provider__slug="singlestore",
        domain__slug="secrets-management",
        offering__slug="helios-byoc",
    )
    assert cell.ownership == Ownership.CUSTOMER
    # SingleStore's only entry says it cannot reach those secrets: no duty of its own.
    provider = texts(duties("singlestore", "secrets-management", "helios-byoc", "provider"))
    assert "no access" in provider.lower()


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
    assert scopes == {"Cloud Console", "Database service", "AWS account"}


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


def test_clickhouse_aes_cost_is_stated_for_cmek_only():
    at_rest = Duty.objects.filter(
        cell__provider__slug="clickhouse", cell__domain__slug="encryption-at-rest"
    )
    aes = [d.text for d in at_rest if "AES-256-CTR" in d.text]
    assert len(aes) == 1
    assert "5-15%" in aes[0]
    assert aes[0].startswith("With CMEK")


def test_clickhouse_key_deletion_is_scheduled_by_the_kms_provider_not_by_the_customer():
    customer = texts(duties("clickhouse", "encryption-at-rest", "cloud", "customer"))
    assert "schedule the deletion instead" not in customer
    assert "Most KMS providers do not delete a key at once but schedule its deletion" in customer


def test_clickhouse_cmek_key_setup_happens_in_the_customers_aws_account():
    customer = duties("clickhouse", "encryption-at-rest", "cloud", "customer")
    in_aws = [d for d in customer if d.scope == "AWS account"]
    aws_text = texts(in_aws)
    for fact in (
        "symmetric",
        "encrypt and decrypt",
        "already have",
        "arn:aws:iam::576599896960:role/prod-kms-request-role",
        "CloudFormation",
        "RoleArn",
        "KeyArn",
        "Terraform",
    ):
        assert fact in aws_text, fact
    for action in (
        "GetPublicKey",
        "Decrypt",
        "GenerateDataKeyPair",
        "Encrypt",
        "GetKeyRotationStatus",
        "GenerateDataKey",
        "DescribeKey",
    ):
        assert f"kms:{action}" in aws_text, action
    # Nothing about creating the key or its policy is filed under the Cloud Console.
    for duty in customer:
        if "key policy" in duty.text or "CloudFormation" in duty.text:
            assert duty.scope == "AWS account", duty.text
    console = [d.text for d in customer if d.scope == "Cloud Console" and "Valid" in d.text]
    assert len(console) == 1
    assert "ARN" in console[0]
    assert "Create Service" in console[0]


def test_clickhouse_third_party_assessments_are_clickhouses_alone():
    cell = Cell.objects.get(
        provider__slug="clickhouse", domain__slug="third-party-assessments-and-compliance"
    )
    assert cell.ownership == Ownership.PROVIDER
    assert set(cell.duties.values_list("party__role", flat=True)) == {"provider"}
    text = texts(list(cell.duties.all()))
    for fact in ("penetration tests", "SOC 2 Type II", "ISO 27001", "Trust Center"):
        assert fact in text, fact
    # The advice to consult one's security and compliance teams is general, not a duty here.
    clickhouse = Provider.objects.get(slug="clickhouse")
    assert not Duty.objects.filter(
        cell__provider=clickhouse, text__icontains="security and compliance teams"
    ).exists()
    assert "security and compliance teams" in clickhouse.summary


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


def test_template_security_configuration_keeps_the_customer_duties_the_source_lists():
    domain = "security-configuration-logging-and-monitoring"
    saas = texts(duties("template", domain, "saas", "customer"))
    assert "logging and monitoring" in saas
    assert (
        Cell.objects.get(
            provider__slug="template", domain__slug=domain, offering__slug="saas"
        ).ownership
        == Ownership.SHARED
    )
    paas = [d.text for d in duties("template", domain, "paas", "customer") if "patch" in d.text]
    assert len(paas) == 1
    assert "operating systems" in paas[0]


def test_every_demo_provider_links_its_sources():
    for provider in Provider.objects.all():
        assert provider.sources.exists(), provider
        assert all(
            url.startswith("https://") for url in provider.sources.values_list("url", flat=True)
        )


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
