"""OSCAL exports: valid against NIST's schema (trestle's models), deterministic, scoped."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from trestle.oscal import OSCAL_VERSION as TRESTLE_OSCAL_VERSION
from trestle.oscal.component import ComponentDefinition
from trestle.oscal.ssp import SystemSecurityPlan

from matrices.exchange.oscal import (
    OSCAL_VERSION,
    SRM_NS,
    OscalEmpty,
    component_definition,
    oscal_json,
    system_security_plan,
)
from matrices.models import Provider
from tests.factories import customer_duty_set

DEMO = ("singlestore", "clickhouse", "astronomer", "template")


WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


MODELS = {
    "component-definition": ComponentDefinition,
    "system-security-plan": SystemSecurityPlan,
}


URL = "/providers/singlestore/export.{}"


def oscal_validate(data: bytes):
    """Parse an OSCAL JSON document with trestle's models of NIST's schema, strictly.

    Strict, and by the JSON names only (trestle's models also accept Python field names,
    which the schema does not), so a document that parses here follows the schema.
    """
    document = json.loads(data)
    assert len(document) == 1, "an OSCAL document has one root key"
    ((root, body),) = document.items()
    return MODELS[root].model_validate_json(
        json.dumps(body), strict=True, by_alias=True, by_name=False
    )


def export(build, snapshot, version="1"):
    return oscal_json(build(snapshot, version=version, last_modified=WHEN))


def props(entry: dict) -> dict[str, str]:
    return {p["name"]: p["value"] for p in entry.get("props", []) if p.get("ns") == SRM_NS}


def tiny(*, provider_items: list[dict], customer_items: list[dict]) -> dict:
    """A one-cell snapshot: offering 10, domain 20, provider party 1, customer party 2."""

    def duty(party, item):
        return {
            "party": party,
            "text": item.get("text", ""),
            "text_html": "",
            "advanced": item.get("advanced", False),
            "not_applicable": item.get("na", False),
            "scope": item.get("scope", ""),
        }

    return {
        "schema": 1,
        "provider": {
            "id": 7,
            "name": "Acme",
            "slug": "acme",
            "website": "https://acme.test",
            "summary": "Acme hosts databases.",
            "is_template": False,
        },
        "sources": [{"title": "Acme SRM", "url": "https://acme.test/srm"}],
        "offerings": [
            {
                "id": 10,
                "name": "Hosted",
                "slug": "hosted",
                "kind": "managed",
                "service_model": "paas",
                "description": "",
            }
        ],
        "parties": [
            {"id": 1, "name": "Acme", "role": "provider"},
            {"id": 2, "name": "Customer", "role": "customer"},
        ],
        "domains": [
            {"id": 20, "name": "Keys", "slug": "keys", "description": "", "category": "CEK"}
        ],
        "cells": [
            {
                "id": 30,
                "offering": 10,
                "domain": 20,
                "ownership": "shared",
                "duties": [duty(1, item) for item in provider_items]
                + [duty(2, item) for item in customer_items],
            }
        ],
    }


def broken(document: dict, how: str) -> dict:
    document = copy.deepcopy(document)
    body = document["component-definition"]
    component = body["components"][0]
    requirement = component["control-implementations"][0]["implemented-requirements"][0]
    if how == "missing-required":
        del body["metadata"]["oscal-version"]
    elif how == "unknown-key":
        component["owner"] = "someone"
    elif how == "bad-uuid":
        requirement["uuid"] = "not-a-uuid"
    elif how == "python-names":
        requirement["control_id"] = requirement.pop("control-id")
    elif how == "bad-control-id":
        requirement["control-id"] = "9 lives"
    elif how == "multi-line-title":
        component["title"] = "two\nlines"
    return document


def singlestore_cell(snapshot: dict, offering: str, domain: str) -> dict:
    offering_id = next(o["id"] for o in snapshot["offerings"] if o["slug"] == offering)
    domain_id = next(d["id"] for d in snapshot["domains"] if d["slug"] == domain)
    return next(
        c for c in snapshot["cells"] if (c["offering"], c["domain"]) == (offering_id, domain_id)
    )


def values_of(node, key: str):
    """Every value of ``key`` anywhere in a JSON document."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key:
                yield value
            yield from values_of(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from values_of(item, key)


def test_it_targets_the_oscal_version_trestle_validates():
    assert OSCAL_VERSION == TRESTLE_OSCAL_VERSION


@pytest.mark.parametrize("slug", DEMO)
def test_it_exports_a_valid_component_definition_for_every_demo_provider(demo_snapshots, slug):
    snapshot = demo_snapshots[slug]
    model = oscal_validate(export(component_definition, snapshot))
    assert [c.title for c in model.components] == [o["name"] for o in snapshot["offerings"]]


@pytest.mark.parametrize("slug", DEMO)
def test_it_exports_a_valid_system_security_plan_for_every_demo_provider(demo_snapshots, slug):
    snapshot = demo_snapshots[slug]
    model = oscal_validate(export(system_security_plan, snapshot))
    requirements = model.control_implementation.implemented_requirements
    assert [r.control_id for r in requirements] == [d["slug"] for d in snapshot["domains"]]


@pytest.mark.parametrize(
    "how",
    [
        "missing-required",
        "unknown-key",
        "bad-uuid",
        "python-names",
        "bad-control-id",
        "multi-line-title",
    ],
)
def test_the_validation_rejects_a_broken_document(demo_snapshots, how):
    document = component_definition(demo_snapshots["singlestore"], version="1", last_modified=WHEN)
    oscal_validate(oscal_json(document))  # the unbroken one passes
    with pytest.raises(ValidationError):
        oscal_validate(oscal_json(broken(document, how)))


def test_it_refuses_a_system_security_plan_without_control_domains(demo_snapshots):
    snapshot = {**demo_snapshots["singlestore"], "domains": [], "cells": []}
    with pytest.raises(OscalEmpty):
        system_security_plan(snapshot, version="1", last_modified=WHEN)


def test_it_exports_provider_duties_as_provided_and_customer_duties_as_responsibilities(
    demo_snapshots,
):
    snapshot = demo_snapshots["singlestore"]
    ssp = json.loads(export(system_security_plan, snapshot))["system-security-plan"]
    role_of = {p["id"]: p["role"] for p in snapshot["parties"]}
    cell = singlestore_cell(snapshot, "helios", "cloud-infrastructure")
    requirement = next(
        r
        for r in ssp["control-implementation"]["implemented-requirements"]
        if r["control-id"] == "cloud-infrastructure"
    )
    helios = next(
        c["uuid"]
        for c in ssp["system-implementation"]["components"]
        if c["title"].endswith("Helios")
    )
    by_component = next(b for b in requirement["by-components"] if b["component-uuid"] == helios)
    provided = [p["description"] for p in by_component["export"]["provided"]]
    owed = [r["description"] for r in by_component["export"]["responsibilities"]]
    assert provided == [d["text"] for d in cell["duties"] if role_of[d["party"]] == "provider"]
    assert owed == [d["text"] for d in cell["duties"] if role_of[d["party"]] == "customer"]
    assert provided[0].startswith("Provision the requested clusters")
    assert owed == ["Choose the cloud provider, the region and the cluster size."]
    assert {p["responsible-roles"][0]["role-id"] for p in by_component["export"]["provided"]} == {
        "provider"
    }
    assert props(by_component)["ownership"] == "shared"
    assert props(by_component)["ccm-ownership"] == "Shared CSP and CSC"


@pytest.mark.parametrize("slug", DEMO)
def test_it_defines_every_role_and_party_it_names(demo_snapshots, slug):
    ssp = json.loads(export(system_security_plan, demo_snapshots[slug]))
    metadata = ssp["system-security-plan"]["metadata"]
    roles = {role["id"] for role in metadata["roles"]}
    assert roles == {"provider", "customer", "cloud-provider", "third-party"}
    assert set(values_of(ssp, "role-id")) <= roles
    assert {r for ids in values_of(ssp, "role-ids") for r in ids} <= roles
    parties = {party["uuid"] for party in metadata["parties"]}
    assert {u for uuids in values_of(ssp, "party-uuids") for u in uuids} == parties


def test_it_has_one_requirement_per_domain_of_each_offering_with_its_ownership(demo_snapshots):
    snapshot = demo_snapshots["singlestore"]
    document = json.loads(export(component_definition, snapshot))["component-definition"]
    slugs = {d["id"]: d["slug"] for d in snapshot["domains"]}
    for offering, component in zip(snapshot["offerings"], document["components"], strict=True):
        assert component["type"] == "service"
        assert props(component)["offering-kind"] == offering["kind"]
        cells = [c for c in snapshot["cells"] if c["offering"] == offering["id"]]
        requirements = component["control-implementations"][0]["implemented-requirements"]
        assert [r["control-id"] for r in requirements] == [slugs[c["domain"]] for c in cells]
        assert [props(r)["ownership"] for r in requirements] == [c["ownership"] for c in cells]


def test_it_keeps_duty_markdown_and_marks_not_applicable_advanced_and_scope_as_props():
    snapshot = tiny(
        provider_items=[
            {"text": "Rotate [keys](https://acme.test/keys).", "advanced": True, "scope": "KMS"},
            {"na": True},
        ],
        customer_items=[{"text": "Hold the key.\n\n- in an HSM"}],
    )
    ssp = json.loads(export(system_security_plan, snapshot))["system-security-plan"]
    exported = ssp["control-implementation"]["implemented-requirements"][0]["by-components"][0]
    first, second = exported["export"]["provided"]
    assert first["description"] == "Rotate [keys](https://acme.test/keys)."
    assert props(first) == {"advanced": "true", "scope": "KMS"}
    assert (second["description"], props(second)) == ("Not applicable.", {"not-applicable": "true"})
    assert (
        exported["export"]["responsibilities"][0]["description"] == "Hold the key.\n\n- in an HSM"
    )
    component = json.loads(export(component_definition, snapshot))["component-definition"]
    requirement = component["components"][0]["control-implementations"][0][
        "implemented-requirements"
    ][0]
    assert (
        "- *Advanced.* *Scope: KMS.* Rotate [keys](https://acme.test/keys)."
        in (requirement["description"])
    )
    assert "- Hold the key.\n\n  - in an HSM" in requirement["description"]


def test_it_links_responsibilities_to_the_provided_item_only_when_there_is_one():
    one = tiny(
        provider_items=[{"text": "Run it."}, {"na": True}], customer_items=[{"text": "Use it."}]
    )
    two = tiny(
        provider_items=[{"text": "Run it."}, {"text": "Patch it."}],
        customer_items=[{"text": "Use it."}],
    )

    def exported(snapshot):
        ssp = json.loads(export(system_security_plan, snapshot))["system-security-plan"]
        return ssp["control-implementation"]["implemented-requirements"][0]["by-components"][0][
            "export"
        ]

    linked = exported(one)
    assert linked["responsibilities"][0]["provided-uuid"] == linked["provided"][0]["uuid"]
    assert "provided-uuid" not in exported(two)["responsibilities"][0]


def test_it_exports_the_same_bytes_for_the_same_snapshot(demo_snapshots):
    snapshot = demo_snapshots["clickhouse"]
    for build in (component_definition, system_security_plan):
        assert export(build, copy.deepcopy(snapshot)) == export(build, snapshot)


def test_it_keeps_subject_uuids_but_changes_content_uuids_when_the_matrix_changes():
    before = tiny(provider_items=[{"text": "Run it."}], customer_items=[{"text": "Use it."}])
    after = tiny(provider_items=[{"text": "Run it well."}], customer_items=[{"text": "Use it."}])
    old = json.loads(export(component_definition, before))["component-definition"]
    new = json.loads(export(component_definition, after))["component-definition"]
    assert old["components"][0]["uuid"] == new["components"][0]["uuid"]
    assert old["metadata"]["parties"] == new["metadata"]["parties"]
    assert old["uuid"] != new["uuid"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["oscal-component.json", "oscal-ssp.json"])
def test_it_serves_a_version_byte_for_byte_the_same_on_every_download(as_user, fmt):
    first = as_user(None).get(URL.format(fmt), {"version": "1"})
    second = as_user("viewer").get(URL.format(fmt))
    assert first.status_code == second.status_code == 200
    assert first["Content-Disposition"] == f'attachment; filename="singlestore-1.{fmt}"'
    assert first.content == second.content
    document = oscal_validate(first.content)
    published = Provider.objects.get(slug="singlestore").published.published_at
    assert document.metadata.last_modified == published.replace(microsecond=0)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["oscal-component.json", "oscal-ssp.json"])
def test_it_gives_the_draft_to_its_editors_only(as_user, users, fmt):
    customer_duty_set(users["editor"], "Keep the draft private.")
    assert as_user(None).get(URL.format(fmt), {"version": "draft"}).status_code == 302
    assert as_user("viewer").get(URL.format(fmt), {"version": "draft"}).status_code == 403
    draft = as_user("editor").get(URL.format(fmt), {"version": "draft"})
    assert draft.status_code == 200
    assert draft["Content-Disposition"] == f'attachment; filename="singlestore-draft.{fmt}"'
    assert b"Keep the draft private." in draft.content
    assert oscal_validate(draft.content).metadata.version == "draft"
    assert b"Keep the draft private." not in as_user("editor").get(URL.format(fmt)).content


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["oscal-component.json", "oscal-ssp.json"])
def test_it_hides_a_private_providers_oscal_from_outsiders(as_user, fmt):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    assert as_user("outsider").get(URL.format(fmt)).status_code == 404
    assert as_user("viewer").get(URL.format(fmt)).status_code == 200


@pytest.mark.django_db
def test_the_matrix_page_links_the_oscal_and_caiq_exports_of_its_version(as_user):
    page = as_user(None).get("/providers/singlestore/").content.decode()
    for fmt in ("oscal-component.json", "oscal-ssp.json", "caiq.xlsx"):
        assert f'href="/providers/singlestore/export.{fmt}?version=1"' in page
