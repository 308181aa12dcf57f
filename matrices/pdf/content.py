"""What a PDF says: a snapshot narrowed to one variant, as template-ready sections.

Pure functions over the snapshot dict (no database), so a published
version's PDF can be rebuilt from its stored snapshot alone. The dense parts
(duty lists, ownership pills) are built here with ``format_html``: a CCM-size
matrix holds thousands of duty items and an ``{% include %}`` per item would
cost more than the rest of the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import nh3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from matrices.models.catalogue import OWNERSHIP_HELP, Ownership
from matrices.models.provider import OfferingKind, PartyRole, ServiceModel
from matrices.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES
from matrices.templatetags.matrix_tags import ownership_badge

MATRIX_TITLE = "Shared Responsibility Matrix"
CHECKLIST_TITLE = "Customer checklist"


class Variant(StrEnum):
    MATRIX = "matrix"
    OFFERING = "offering"
    CHECKLIST = "checklist"


@dataclass(frozen=True)
class PartyBlock:
    """One party's items in one cell."""

    name: str
    is_customer: bool
    items: SafeString


@dataclass(frozen=True)
class OfferingBlock:
    """One offering's cell in one domain: its ownership and each party's items."""

    offering: dict[str, Any]
    ownership: SafeString
    parties: list[PartyBlock]


@dataclass(frozen=True)
class DomainSection:
    number: str
    anchor: str
    domain: dict[str, Any]
    ownership: SafeString  # the single offering's ownership (offering and checklist variants)
    blocks: list[OfferingBlock] = field(default_factory=list)
    checklist: str = ""  # safe HTML of the checklist items (checklist variant)
    checklist_items: int = 0


@dataclass(frozen=True)
class SummaryRow:
    anchor: str
    domain: dict[str, Any]
    pills: list[SafeString]


@dataclass(frozen=True)
class Content:
    """Everything the document template needs besides the version metadata."""

    variant: Variant
    provider: dict[str, Any]
    title: str
    subtitle: str
    offerings: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    summary: list[SummaryRow]
    sections: list[DomainSection]
    nothing_for_customer: list[SummaryRow]
    legend: list[tuple[SafeString, str]]
    sources: list[dict[str, str]]
    customer_duty_count: int = 0


def document_content(snapshot: dict[str, Any], variant: str, offering: str | None) -> Content:
    """The document's content for ``variant``; ValueError for an unknown variant or offering."""
    try:
        kind = Variant(variant)
    except ValueError:
        raise ValueError(f"Unknown PDF variant {variant!r}.") from None
    offerings = snapshot["offerings"]
    if kind is Variant.MATRIX:
        if offering is not None:
            raise ValueError("The matrix variant covers every offering; pass no offering.")
    else:
        offerings = [o for o in offerings if o["slug"] == offering]
        if not offerings:
            raise ValueError(f"Unknown offering {offering!r}.")

    provider = snapshot["provider"]
    parties = snapshot["parties"]
    cells = {(c["domain"], c["offering"]): c for c in snapshot["cells"]}
    summary = [
        SummaryRow(
            anchor=f"d-{index}",
            domain=domain,
            pills=[_pill(cells.get((domain["id"], o["id"]))) for o in offerings],
        )
        for index, domain in enumerate(snapshot["domains"], start=1)
    ]
    if kind is Variant.CHECKLIST:
        sections, nothing = _checklist_sections(summary, cells, parties, offerings[0])
    else:
        sections, nothing = _matrix_sections(summary, cells, parties, offerings), []

    if kind is Variant.MATRIX:
        title, subtitle = MATRIX_TITLE, ""
    elif kind is Variant.OFFERING:
        title, subtitle = f"{MATRIX_TITLE} — {offerings[0]['name']}", offerings[0]["name"]
    else:
        title, subtitle = f"{CHECKLIST_TITLE} — {offerings[0]['name']}", offerings[0]["name"]
    return Content(
        variant=kind,
        provider=provider,
        title=title,
        subtitle=subtitle,
        offerings=[_offering_display(o) for o in offerings],
        parties=parties,
        summary=summary,
        sections=sections,
        nothing_for_customer=nothing,
        legend=[(ownership_badge(o, long=True), OWNERSHIP_HELP[o]) for o in Ownership],
        sources=[
            {"title": s["title"] or s["url"], "url": s["url"], "href": safe_href(s["url"])}
            for s in snapshot.get("sources", [])
        ],
        customer_duty_count=sum(s.checklist_items for s in sections),
    )


def _matrix_sections(
    summary: list[SummaryRow], cells: dict, parties: list[dict], offerings: list[dict]
) -> list[DomainSection]:
    """A section per domain: each offering's ownership and every party's items."""
    return [
        DomainSection(
            number=f"{number}",
            anchor=row.anchor,
            domain=row.domain,
            ownership=row.pills[0],
            blocks=[
                OfferingBlock(
                    offering=o,
                    ownership=pill,
                    parties=_party_blocks(cells.get((row.domain["id"], o["id"])), parties),
                )
                for o, pill in zip(offerings, row.pills, strict=True)
            ],
        )
        for number, row in enumerate(summary, start=1)
    ]


def _checklist_sections(
    summary: list[SummaryRow], cells: dict, parties: list[dict], offering: dict
) -> tuple[list[DomainSection], list[SummaryRow]]:
    """A section per domain where the customer has something to do, and the other domains."""
    customers = {p["id"] for p in parties if p["role"] == PartyRole.CUSTOMER}
    sections: list[DomainSection] = []
    nothing: list[SummaryRow] = []
    for row in summary:
        cell = cells.get((row.domain["id"], offering["id"]))
        duties = [
            d
            for d in (cell["duties"] if cell else [])
            if d["party"] in customers and not d["not_applicable"]
        ]
        if not duties:
            nothing.append(row)
            continue
        sections.append(
            DomainSection(
                number=f"{len(sections) + 1}",
                anchor=row.anchor,
                domain=row.domain,
                ownership=row.pills[0],
                checklist=_duty_list(duties, checklist=True),
                checklist_items=len(duties),
            )
        )
    return sections, nothing


def safe_href(url: str) -> str:
    """``url`` when it is an http(s) link, else "" (the text is shown, not linked)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def duty_html(text_html: str) -> str:
    """A duty's stored HTML, sanitised again with the portal's allow-list.

    The snapshot's HTML was cleaned on save, but a PDF is a document that
    leaves the portal: no image, stylesheet, base URL or ``rel=attachment``
    link may reach WeasyPrint, whatever wrote the snapshot. Every kept link
    gets a fixed ``rel``, which also replaces any ``attachment`` relation.
    Relative links go too: in the PDF they would resolve against the static
    directory and turn into ``file://`` links naming server paths.
    """
    return nh3.clean(
        text_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
    ).strip()


def _offering_display(offering: dict[str, Any]) -> dict[str, Any]:
    kind = _label(OfferingKind, offering.get("kind", ""))
    model = _label(ServiceModel, offering.get("service_model", ""))
    return {**offering, "kind_label": " · ".join(x for x in (kind, model) if x)}


def _label(choices: type, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def _pill(cell: dict[str, Any] | None) -> SafeString:
    return ownership_badge(cell["ownership"] if cell else "")


def _party_blocks(cell: dict[str, Any] | None, parties: list[dict[str, Any]]) -> list[PartyBlock]:
    duties = cell["duties"] if cell else []
    return [
        PartyBlock(
            name=party["name"],
            is_customer=party["role"] == PartyRole.CUSTOMER,
            items=_duty_list([d for d in duties if d["party"] == party["id"]]),
        )
        for party in parties
    ]


# A duty's bullet is a character at the start of its text, hanging in the indent
# (document.css): a drawn ::before box or a list item's wrapper is a box of its own
# on each of the thousands of items: together nearly a tenth of the render.
# Two no-break spaces keep it at the width of the indent, and with the first word.
BULLET = "\u2022\u00a0\u00a0"
BULLET_NA = "\u25e6\u00a0\u00a0"  # hollow: the party holds nothing there


def _duty_list(duties: list[dict[str, Any]], *, checklist: bool = False) -> SafeString:
    """A party's items: bulleted blocks after its heading, or the checklist's list."""
    if not duties:
        return mark_safe('<p class="no-duty">Nothing listed.</p>')
    if checklist:
        return format_html(
            '<ul class="checklist">{}</ul>',
            format_html_join("", "{}", ((_duty_item(d, tag="li"),) for d in duties)),
        )
    return format_html_join("", "{}", ((_duty_item(d, tag="div"),) for d in duties))


def _duty_item(duty: dict[str, Any], *, tag: Literal["li", "div"]) -> SafeString:
    markers = []
    if duty["not_applicable"]:
        markers.append(mark_safe('<span class="na">Not applicable</span>'))
    if duty["scope"]:
        markers.append(format_html('<span class="tag tag--scope">{}</span>', duty["scope"]))
    if duty["advanced"]:
        markers.append(mark_safe('<span class="tag tag--advanced">Advanced</span>'))
    body = duty_html(duty["text_html"])
    # A one-paragraph duty (nearly all of them) goes into the item bare:
    # one block box fewer per item is a measurable share of the layout time.
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        body = body[3:-4]
    if markers:
        lead = format_html_join(" ", "{}", ((m,) for m in markers))
        # Markers run into the first paragraph rather than sitting on a line of their own.
        if body.startswith("<p>"):
            body = format_html("<p>{} {}", lead, mark_safe(body[3:]))  # noqa: S308 - cleaned
        else:
            body = format_html("{} {}", lead, mark_safe(body))  # noqa: S308 - cleaned
    else:
        body = mark_safe(body)  # noqa: S308 - cleaned by duty_html
    css = "duty"
    blocks = any(block in body for block in ("<p>", "<ul>", "<ol>"))
    if blocks:
        css += " duty--blocks"  # paragraphs or a list: document.css places the bullet
    if duty["not_applicable"]:
        css += " duty--na"
    elif duty["advanced"]:
        css += " duty--advanced"
    if tag == "div" and not blocks:
        bullet = BULLET_NA if duty["not_applicable"] else BULLET
        body = format_html("{}{}", bullet, body)
    return format_html('<{0} class="{1}">{2}</{0}>', tag, css, body)
