"""A matrix snapshot as OSCAL: a component definition and a system security plan.

Both are built as plain dicts (OSCAL 1.2 JSON) from a snapshot (``matrices.snapshot``);
the tests validate them with compliance-trestle's models of NIST's schema, which is not a
runtime dependency.

- **Component definition**: one ``service`` component per offering; its
  ``control-implementations`` hold one ``implemented-requirement`` per control domain
  that has a cell for the offering. The description carries every party's duties as
  Markdown (OSCAL markup-multiline), ``responsible-roles`` name the parties by role.
- **System security plan**: the provider's product as the system (one ``this-system``
  component and one ``service`` component per offering). Each domain is an
  ``implemented-requirement`` with one ``by-components`` entry per offering whose
  ``export.provided`` lists the provider's, the cloud provider's and third parties'
  duty items and ``export.responsibilities`` the customer's. A responsibility links to
  a provided item (``provided-uuid``) when the provider side has exactly one applicable
  item in that cell: the matrix does not record which provider item a customer item
  complements, so with several the link would be a guess and is left out.

Identifiers and vocabulary:

- ``control-id`` is the portal's domain slug (for example ``customer-data``); the
  ``source`` (and the SSP's ``import-profile``) is ``CCM_SOURCE``, the CSA Cloud Controls
  Matrix v4. The slugs are not CCM control ids: the CCM domain a domain maps to, where
  it has one, is the ``ccm-domain`` prop (``IAM``, ``DSP``, ...).
- Our props use the namespace ``SRM_NS``: ``ownership`` (the portal's value, one of
  the CCM six: provider, customer, shared, third-party, shared-third-party, n/a),
  ``ccm-ownership`` (the CAIQ v4 wording), ``ccm-domain``, ``offering-kind``,
  ``service-model``, ``snapshot-hash``, and on duty items ``not-applicable``,
  ``advanced`` and ``scope``.
- Roles (``metadata.roles``): ``provider``, ``customer``, ``cloud-provider``,
  ``third-party``, the party roles of the matrix; each party is an organization.
- UUIDs are version 5, so the same snapshot always exports the same document.
  Subjects that outlive a version (parties, offerings, the system) are keyed by the
  provider and their database id, so they keep their UUID across versions as OSCAL
  asks; everything else (the documents, requirements, duty items) by the snapshot's
  SHA-256 and its path. ``last-modified`` is the caller's timestamp: a version's
  ``published_at`` makes its exports byte-identical on every download.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from matrices.exchange.caiq import CCM_OWNERSHIP
from matrices.models import Ownership
from matrices.models.provider import PartyRole
from matrices.snapshot import snapshot_hash

OSCAL_VERSION = "1.2.1"
# Our namespace for props. Under a reserved domain (RFC 2606): it names, it is not fetched.
SRM_NS = "https://srm-portal.example/ns/oscal"
CCM_SOURCE = "https://cloudsecurityalliance.org/artifacts/cloud-controls-matrix-v4"
RFC4122 = "https://ietf.org/rfc/rfc4122"

ROLE_DESCRIPTIONS = {
    PartyRole.PROVIDER: "The cloud service provider that publishes the matrix.",
    PartyRole.CUSTOMER: "The cloud service customer.",
    PartyRole.CLOUD_PROVIDER: "The cloud platform underneath the provider's service.",
    PartyRole.THIRD_PARTY: "Another party the provider relies on.",
}

Json = dict[str, Any]


class OscalEmpty(ValueError):
    """The matrix has nothing an OSCAL document of this kind could hold."""


class Ids:
    """Deterministic UUIDs: per snapshot for content, per provider for lasting subjects."""

    def __init__(self, snapshot: Json) -> None:
        base = uuid.uuid5(uuid.NAMESPACE_URL, SRM_NS)
        self._content = uuid.uuid5(base, f"snapshot/{snapshot_hash(snapshot)}")
        self._subject = uuid.uuid5(base, f"provider/{snapshot['provider']['id']}")

    def content(self, path: str) -> str:
        return str(uuid.uuid5(self._content, path))

    def subject(self, path: str) -> str:
        return str(uuid.uuid5(self._subject, path))


def component_definition(snapshot: Json, *, version: str, last_modified: datetime) -> Json:
    """The matrix as an OSCAL component definition: one component per offering."""
    ids = Ids(snapshot)
    view = _View(snapshot)
    components = []
    for offering in snapshot["offerings"]:
        requirements = [_requirement(view, ids, cell) for cell in view.cells_of(offering["id"])]
        component: Json = {
            "uuid": ids.subject(f"offering/{offering['id']}"),
            "type": "service",
            "title": _line(offering["name"]),
            "description": offering["description"] or _line(offering["name"]),
            "props": _offering_props(offering),
        }
        if requirements:
            component["control-implementations"] = [
                {
                    "uuid": ids.content(f"offering/{offering['id']}/control-implementation"),
                    "source": CCM_SOURCE,
                    "description": (
                        f"Who does what in each control domain of {_line(offering['name'])}, "
                        f"as {_line(snapshot['provider']['name'])} documents it."
                    ),
                    "implemented-requirements": requirements,
                }
            ]
        components.append(component)
    body: Json = {
        "uuid": ids.content("component-definition"),
        "metadata": _metadata(snapshot, ids, version, last_modified, "component definition"),
    }
    if components:
        body["components"] = components
    return {"component-definition": body}


def system_security_plan(snapshot: Json, *, version: str, last_modified: datetime) -> Json:
    """The matrix as an OSCAL SSP whose by-components export what is provided and owed."""
    if not snapshot["domains"]:
        raise OscalEmpty("A system security plan needs at least one control domain.")
    ids = Ids(snapshot)
    view = _View(snapshot)
    provider = snapshot["provider"]
    name = _line(provider["name"])
    system_uuid = ids.subject("system")
    requirements = []
    for domain in snapshot["domains"]:
        requirement: Json = {
            "uuid": ids.content(f"domain/{domain['id']}/requirement"),
            "control-id": domain["slug"],
        }
        if domain["category"]:
            requirement["props"] = [_prop("ccm-domain", domain["category"])]
        by_components = [_by_component(view, ids, cell) for cell in view.cells_in(domain["id"])]
        if by_components:
            requirement["by-components"] = by_components
        requirements.append(requirement)
    body: Json = {
        "uuid": ids.content("system-security-plan"),
        "metadata": _metadata(snapshot, ids, version, last_modified, "system security plan"),
        "import-profile": {"href": CCM_SOURCE},
        "system-characteristics": {
            "system-ids": [{"identifier-type": RFC4122, "id": system_uuid}],
            "system-name": name,
            "description": provider["summary"] or name,
            "system-information": {
                "information-types": [
                    {
                        "uuid": ids.subject("information-type/customer-data"),
                        "title": "Customer data",
                        "description": (
                            f"The data customers store in or process with {name}; each "
                            "customer categorises it in its own plan."
                        ),
                    }
                ]
            },
            "status": {"state": "operational"},
            "authorization-boundary": {
                "description": (
                    f"The offerings of {name} listed as components. The customer's "
                    "responsibilities lie outside the boundary, with the customer."
                )
            },
        },
        "system-implementation": _system_implementation(snapshot, ids, system_uuid),
        "control-implementation": {
            "description": (
                f"How {name} and its customers share each control domain, per offering: "
                "what the provider side provides and what remains the customer's."
            ),
            "implemented-requirements": requirements,
        },
    }
    return {"system-security-plan": body}


def oscal_json(document: Json) -> bytes:
    """The document as UTF-8 JSON, always the same bytes for the same document."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


# --- parts -------------------------------------------------------------------


def _system_implementation(snapshot: Json, ids: Ids, system_uuid: str) -> Json:
    name = _line(snapshot["provider"]["name"])
    implementation: Json = {}
    if snapshot["parties"]:
        implementation["users"] = [
            {
                "uuid": ids.subject(f"user/{party['id']}"),
                "title": _line(party["name"]),
                "role-ids": [party["role"]],
            }
            for party in snapshot["parties"]
        ]
    implementation["components"] = [
        {
            "uuid": system_uuid,
            "type": "this-system",
            "title": name,
            "description": snapshot["provider"]["summary"] or name,
            "status": {"state": "operational"},
        },
        *(
            {
                "uuid": ids.subject(f"offering/{offering['id']}"),
                "type": "service",
                "title": _line(offering["name"]),
                "description": offering["description"] or _line(offering["name"]),
                "props": _offering_props(offering),
                "status": {"state": "operational"},
            }
            for offering in snapshot["offerings"]
        ),
    ]
    return implementation


class _View:
    """The snapshot's parties, offerings and domains by id, and its cells by axis."""

    def __init__(self, snapshot: Json) -> None:
        self.parties = {party["id"]: party for party in snapshot["parties"]}
        self.offerings = {offering["id"]: offering for offering in snapshot["offerings"]}
        self.domains = {domain["id"]: domain for domain in snapshot["domains"]}
        self._by_offering: dict[int, list[Json]] = defaultdict(list)
        self._by_domain: dict[int, list[Json]] = defaultdict(list)
        for cell in snapshot["cells"]:
            self._by_offering[cell["offering"]].append(cell)
            self._by_domain[cell["domain"]].append(cell)

    def cells_of(self, offering_id: int) -> list[Json]:
        return self._by_offering[offering_id]

    def cells_in(self, domain_id: int) -> list[Json]:
        return self._by_domain[domain_id]

    def duties_by_party(self, cell: Json) -> dict[int, list[Json]]:
        grouped: dict[int, list[Json]] = defaultdict(list)
        for duty in cell["duties"]:
            grouped[duty["party"]].append(duty)
        return grouped


def _requirement(view: _View, ids: Ids, cell: Json) -> Json:
    domain = view.domains[cell["domain"]]
    sections = [_ownership_line(cell["ownership"])]
    roles: dict[str, list[str]] = defaultdict(list)
    for party_id, duties in view.duties_by_party(cell).items():
        party = view.parties[party_id]
        sections.append(f"**{_line(party['name'])}** ({party['role']})")
        sections.append(_items_markdown(duties))
        roles[party["role"]].append(ids.subject(f"party/{party_id}"))
    requirement: Json = {
        "uuid": ids.content(f"cell/{cell['id']}/requirement"),
        "control-id": domain["slug"],
        "description": "\n\n".join(sections),
        "props": _cell_props(cell, domain),
    }
    if roles:
        requirement["responsible-roles"] = [
            {"role-id": role, "party-uuids": party_uuids} for role, party_uuids in roles.items()
        ]
    return requirement


def _by_component(view: _View, ids: Ids, cell: Json) -> Json:
    offering = view.offerings[cell["offering"]]
    domain = view.domains[cell["domain"]]
    by_party = view.duties_by_party(cell)
    provided = [
        _export_item(view, ids, cell, party_id, position, duty)
        for party_id, duties in by_party.items()
        if view.parties[party_id]["role"] != PartyRole.CUSTOMER
        for position, duty in enumerate(duties)
    ]
    applicable = [entry["uuid"] for entry, duty in provided if not duty["not_applicable"]]
    owed = [
        _export_item(
            view,
            ids,
            cell,
            party_id,
            position,
            duty,
            provided_uuid=applicable[0] if len(applicable) == 1 else None,
        )
        for party_id, duties in by_party.items()
        if view.parties[party_id]["role"] == PartyRole.CUSTOMER
        for position, duty in enumerate(duties)
    ]
    by_component: Json = {
        "component-uuid": ids.subject(f"offering/{offering['id']}"),
        "uuid": ids.content(f"cell/{cell['id']}/by-component"),
        "description": (
            f"{_line(domain['name'])} in {_line(offering['name'])}. "
            f"{_ownership_line(cell['ownership'])}"
        ),
        "props": _cell_props(cell, domain),
    }
    if cell["ownership"] == Ownership.NOT_APPLICABLE:
        by_component["implementation-status"] = {"state": "not-applicable"}
    export: Json = {}
    if provided:
        export["provided"] = [entry for entry, _duty in provided]
    if owed:
        export["responsibilities"] = [entry for entry, _duty in owed]
    if export:
        by_component["export"] = export
    return by_component


def _export_item(
    view: _View,
    ids: Ids,
    cell: Json,
    party_id: int,
    position: int,
    duty: Json,
    *,
    provided_uuid: str | None = None,
) -> tuple[Json, Json]:
    """One duty item as a provided capability or a responsibility, and the item itself."""
    entry: Json = {"uuid": ids.content(f"cell/{cell['id']}/party/{party_id}/item/{position}")}
    if provided_uuid:
        entry["provided-uuid"] = provided_uuid
    entry["description"] = _item_text(duty)
    if props := _duty_props(duty):
        entry["props"] = props
    entry["responsible-roles"] = [
        {
            "role-id": view.parties[party_id]["role"],
            "party-uuids": [ids.subject(f"party/{party_id}")],
        }
    ]
    return entry, duty


def _metadata(snapshot: Json, ids: Ids, version: str, last_modified: datetime, kind: str) -> Json:
    provider = snapshot["provider"]
    name = _line(provider["name"])
    metadata: Json = {
        "title": f"{name}: shared-responsibility matrix ({kind}, {_version_label(version)})",
        "last-modified": _timestamp(last_modified),
        "version": version,
        "oscal-version": OSCAL_VERSION,
        "props": [_prop("snapshot-hash", snapshot_hash(snapshot))],
    }
    links = [{"href": provider["website"], "rel": "homepage"}] if provider["website"] else []
    links += [
        {"href": source["url"], "rel": "reference", "text": _line(source["title"])}
        for source in snapshot["sources"]
    ]
    if links:
        metadata["links"] = links
    metadata["roles"] = [
        {"id": role.value, "title": role.label, "description": ROLE_DESCRIPTIONS[role]}
        for role in PartyRole
    ]
    if snapshot["parties"]:
        metadata["parties"] = [
            {
                "uuid": ids.subject(f"party/{party['id']}"),
                "type": "organization",
                "name": _line(party["name"]),
            }
            for party in snapshot["parties"]
        ]
    return metadata


def _offering_props(offering: Json) -> list[Json]:
    props = [_prop("offering-kind", offering["kind"])]
    if offering["service_model"]:
        props.append(_prop("service-model", offering["service_model"]))
    return props


def _cell_props(cell: Json, domain: Json) -> list[Json]:
    props = [
        _prop("ownership", cell["ownership"]),
        _prop("ccm-ownership", CCM_OWNERSHIP[cell["ownership"]]),
    ]
    if domain["category"]:
        props.append(_prop("ccm-domain", domain["category"]))
    return props


def _duty_props(duty: Json) -> list[Json]:
    props = []
    if duty["not_applicable"]:
        props.append(_prop("not-applicable", "true"))
    if duty["advanced"]:
        props.append(_prop("advanced", "true"))
    if duty["scope"].strip():
        props.append(_prop("scope", _line(duty["scope"])))
    return props


def _prop(name: str, value: str) -> Json:
    return {"name": name, "ns": SRM_NS, "value": value}


def _item_text(duty: Json) -> str:
    """An item's Markdown; a not-applicable item without a note still says so."""
    text = duty["text"].strip()
    if duty["not_applicable"]:
        return f"Not applicable. {text}" if text else "Not applicable."
    return text


def _items_markdown(duties: list[Json]) -> str:
    """A party's items as a Markdown list, markers in words, further lines indented."""
    lines = []
    for duty in duties:
        markers = []
        if duty["advanced"]:
            markers.append("*Advanced.*")
        if duty["scope"].strip():
            markers.append(f"*Scope: {_line(duty['scope'])}.*")
        text = " ".join([*markers, _item_text(duty)])
        first, *rest = text.split("\n")
        lines.append(f"- {first}")
        lines.extend(f"  {line}" if line else "" for line in rest)
    return "\n".join(lines)


def _ownership_line(ownership: str) -> str:
    return f"Ownership: {Ownership(ownership).label}; CCM: {CCM_OWNERSHIP[ownership]}."


def _line(text: str) -> str:
    """One line of text without surrounding or repeated spaces (OSCAL string, markup-line)."""
    return " ".join(text.split()) or "(untitled)"


def _version_label(version: str) -> str:
    return "draft" if version == "draft" else f"version {version}"


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
