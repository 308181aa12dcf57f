"""Rendering helpers for the dense parts of matrix pages.

A matrix page can hold thousands of duty items; building their HTML in
Python with ``format_html`` is several times faster than an ``{% include %}``
per item, and escapes just the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from matrices.models import ControlDomain, Duty, Ownership
from matrices.models.catalogue import OWNERSHIP_CSS, OWNERSHIP_HELP
from matrices.richtext import plain_text

register = template.Library()

OWNERSHIP_SHORT = {
    Ownership.PROVIDER: "Provider",
    Ownership.CUSTOMER: "Customer",
    Ownership.SHARED: "Shared",
    Ownership.THIRD_PARTY: "Third party",
    Ownership.SHARED_THIRD_PARTY: "Provider + third party",
    Ownership.NOT_APPLICABLE: "N/A",
}


@register.simple_tag
def ownership_badge(value: str, *, long: bool = False) -> SafeString:
    """The ownership as a labelled badge: text first, colour only as a second cue."""
    if not value:
        return format_html('<span class="own own--none">{}</span>', "Not set")
    ownership = Ownership(value)
    label = ownership.label if long else OWNERSHIP_SHORT[ownership]
    return format_html(
        '<span class="own own--{}" title="{}: {}">{}</span>',
        OWNERSHIP_CSS[ownership],
        ownership.label,
        OWNERSHIP_HELP[ownership],
        label,
    )


def _duty_item(duty: Duty) -> SafeString:
    markers = []
    if duty.scope:
        markers.append(format_html('<span class="tag tag--scope">{}</span>', duty.scope))
    if duty.advanced:
        markers.append(
            mark_safe(
                '<span class="tag tag--advanced" title="Advanced or optional">Advanced</span>'
            )
        )
    if duty.not_applicable:
        note = plain_text(duty.text)
        body = format_html(
            '<span class="na">Not applicable</span>{}',
            format_html(' <span class="na-note">{}</span>', note) if note else "",
        )
        css = "duty duty--na"
    else:
        # text_html was sanitised with nh3 on save (matrices.richtext).
        body = mark_safe(duty.text_html)  # noqa: S308
        css = "duty duty--advanced" if duty.advanced else "duty"
    return format_html(
        '<li class="{}">{}<div class="duty__text">{}</div></li>',
        css,
        format_html(
            '<div class="duty__tags">{}</div>', format_html_join("", "{}", ((m,) for m in markers))
        )
        if markers
        else "",
        body,
    )


@register.simple_tag
def duty_list(duties: Sequence[Duty]) -> SafeString:
    """A party's duty items in a cell, or an explicit dash when it has none."""
    if not duties:
        return mark_safe('<span class="no-duty" aria-label="No duty">—</span>')
    return format_html(
        '<ul class="duties">{}</ul>', format_html_join("", "{}", ((_duty_item(d),) for d in duties))
    )


@register.simple_tag
def domain_header(domain: ControlDomain, history: str = "") -> SafeString:
    """The row header of a domain: anchor link, name, CCM code, description, history link."""
    return format_html(
        '<th scope="row" class="domain"><a class="anchor" href="#d-{slug}" '
        'aria-label="Link to {name}">#</a> <span class="domain__name">{name}</span>'
        "{ccm}{desc}{history}</th>",
        slug=domain.slug,
        name=domain.name,
        ccm=format_html(
            ' <abbr class="ccm" title="{}">{}</abbr>',
            domain.get_category_display(),
            domain.category,
        )
        if domain.category
        else "",
        desc=format_html(' <span class="domain__desc">{}</span>', domain.description)
        if domain.description
        else "",
        history=format_html(
            ' <a class="cell-tool row-history" href="{}" aria-label="Row history of {}">'
            "Row history</a>",
            history,
            domain.name,
        )
        if history
        else "",
    )


@register.simple_tag
def ownership_legend() -> list[dict[str, str]]:
    return [
        {"value": o.value, "label": o.label, "help": OWNERSHIP_HELP[o], "css": OWNERSHIP_CSS[o]}
        for o in Ownership
    ]
