"""The shape of a demo provider, as written by hand in ``matrices/demo/data/``.

Each data module exposes one ``PROVIDER: ProviderSpec``. The texts are our own
wording of the facts in the public source documents (see each provider's
``sources``); nothing is parsed at run time.

A cell's duties map a party *name* to a list of duty items. A duty item is
either a plain Markdown string or a ``DutySpec`` dict for the extra markers::

    "duties": {
        "Customer": [
            "Pick the cloud provider and region.",
            {"text": "Bring your own KMS key ([CMEK](https://...)).", "advanced": True,
             "scope": "Cloud Console"},
        ],
        "SingleStore": [NA],                      # not applicable, no note
        "Acme": [{"na": True, "text": "Not supported yet."}],  # N/A with a note
    }

A party missing from ``duties`` simply has no duty in that cell.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class DutySpec(TypedDict):
    text: str  # Markdown; links as [label](https://...) only
    advanced: NotRequired[bool]  # "advanced / optional" (ClickHouse's ADVANCED)
    na: NotRequired[bool]  # not applicable; ``text`` is then an optional note
    scope: NotRequired[str]  # where it applies, e.g. "Cloud Console", "Database service"


DutyItem = str | DutySpec

NA: DutySpec = {"text": "", "na": True}


class CellSpec(TypedDict):
    # one of: provider, customer, shared, third-party, shared-third-party, n/a
    ownership: str
    duties: dict[str, list[DutyItem]]  # party name -> items, in the source's order


class DomainSpec(TypedDict):
    name: str
    slug: str
    description: str
    # CSA CCM v4 domain code (A&A, AIS, BCR, CCC, CEK, DCS, DSP, GRC, HRS, IAM,
    # IPY, IVS, LOG, SEF, STA, TVM, UEM) or "" when none fits.
    category: str
    cells: dict[str, CellSpec]  # offering slug -> cell; an offering may be absent


class OfferingSpec(TypedDict):
    name: str
    slug: str
    kind: str  # self-managed | managed | byoc
    service_model: str  # "" | iaas | paas | saas
    description: str


class PartySpec(TypedDict):
    name: str  # as the document says it
    role: str  # customer | provider | cloud-provider | third-party


class SourceSpec(TypedDict):
    title: str
    url: str


class ProviderSpec(TypedDict):
    name: str
    slug: str
    website: str
    summary: str  # one or two sentences
    is_template: NotRequired[bool]
    sources: list[SourceSpec]
    parties: list[PartySpec]
    offerings: list[OfferingSpec]
    domains: list[DomainSpec]
