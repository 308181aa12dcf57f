"""Public browsing pages: home, search, matrix, offering, checklist, compare."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import may_create_providers
from matrices.filtersets import ProviderFilterSet
from matrices.forms.browse import CompareForm, SearchForm
from matrices.models import PartyRole, Provider
from matrices.selectors import cards
from matrices.selectors import search as duty_search
from matrices.selectors.matrix import (
    mark_unpublished,
    matrix_compare,
    matrix_from_snapshot,
    ownership_counts,
)
from matrices.views.cache import cache_public_page
from matrices.views.htmx import render_page
from matrices.views.provider_page import page_edition, provider_page, provider_required
from matrices.views.reading import read


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # The same filters as GET /api/v1/providers/; invalid ones are shown, not applied.
    filterset = ProviderFilterSet(
        request.GET, queryset=cards.provider_list(request.user), request=request
    )
    filtered = filterset.is_valid() and any(filterset.form.cleaned_data.values())
    shown = filterset.qs if filterset.is_valid() else filterset.queryset
    provider_cards = cards.provider_cards(shown, request.user)
    return render(
        request,
        "matrices/home.html",
        {
            "providers": [card for card in provider_cards if not card.provider.is_template],
            "templates": [card for card in provider_cards if card.provider.is_template],
            "form": SearchForm(),
            "filters": filterset.form,
            "filtered": filtered,
            "may_create_providers": may_create_providers(request.user),
        },
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits, truncated = [], False
    if form.is_valid():
        hits, truncated = duty_search.duty_search(form.cleaned_data["q"], request.user)
    context = {
        "form": form,
        "query": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
        "groups": duty_search.group_hits(hits),
        "hit_count": len(hits),
        "truncated": truncated,
        "limit": duty_search.SEARCH_LIMIT,
    }
    return render_page(
        request, "matrices/search.html", context, partial="matrices/_search_results.html"
    )


# The PDFs offered on each page (variant, label).
PDF_CHOICES = {
    "matrix": [("matrix", "Whole matrix")],
    "offering": [("offering", "This offering"), ("checklist", "Customer checklist")],
    "checklist": [("checklist", "Customer checklist")],
}


@require_safe
@cache_public_page
@provider_required()
def provider_matrix(request: HttpRequest, provider: Provider) -> HttpResponse:
    edition = page_edition(request, provider, editing=True)
    matrix = matrix_from_snapshot(provider, edition.snapshot)
    unpublished_cells = 0
    if edition.is_draft and edition.latest is not None:
        unpublished_cells = mark_unpublished(matrix, edition.snapshot, edition.latest.snapshot)
    context = provider_page(
        request,
        provider,
        "matrix",
        edition=edition,
        matrix=matrix,
        unpublished_cells=unpublished_cells,
        pdf_choices=PDF_CHOICES["matrix"],
    )
    read(request, edition, "matrix")
    return render(request, "matrices/provider_matrix.html", context)


@require_safe
@cache_public_page
@provider_required()
def offering_detail(request: HttpRequest, provider: Provider, offering: str) -> HttpResponse:
    edition = page_edition(request, provider)
    offering_data = edition.offering(offering)
    matrix = matrix_from_snapshot(provider, edition.snapshot, offerings=[offering])
    context = provider_page(
        request,
        provider,
        "offering",
        edition=edition,
        offering=matrix.offerings[0],
        matrix=matrix,
        offering_data=offering_data,
        ownership_counts=ownership_counts(matrix),
        pdf_choices=PDF_CHOICES["offering"],
    )
    read(request, edition, f"offering:{offering}")
    return render(request, "matrices/offering.html", context)


@require_safe
@cache_public_page
@provider_required()
def customer_checklist(request: HttpRequest, provider: Provider, offering: str) -> HttpResponse:
    edition = page_edition(request, provider)
    edition.offering(offering)
    matrix = matrix_from_snapshot(provider, edition.snapshot, offerings=[offering])
    items, nothing_to_do = [], []
    for row in matrix.rows:
        cell = row.cells[0]
        duties = [d for d in cell.duties_of(role=PartyRole.CUSTOMER) if not d.not_applicable]
        (items if duties else nothing_to_do).append((row, cell, duties))
    context = provider_page(
        request,
        provider,
        "checklist",
        edition=edition,
        offering=matrix.offerings[0],
        customers=matrix.customer_parties,
        items=items,
        nothing_to_do=nothing_to_do,
        duty_count=sum(len(duties) for _, _, duties in items),
        pdf_choices=PDF_CHOICES["checklist"],
    )
    read(request, edition, f"checklist:{offering}")
    return render(request, "matrices/checklist.html", context)


@require_safe
@cache_public_page
@provider_required()
def compare(request: HttpRequest, provider: Provider) -> HttpResponse:
    edition = page_edition(request, provider)
    offerings = matrix_from_snapshot(provider, edition.snapshot, domains=[]).offerings
    form = CompareForm(request.GET or None, offerings=offerings)
    matrix = None
    if form.is_valid():
        slugs = [o.slug for o in form.cleaned_data["o"]]
        matrix = matrix_compare(provider, edition.snapshot, slugs)
    elif not request.GET.getlist("o") and len(offerings) >= 2:
        # First visit: compare everything, so the page answers at once.
        form = CompareForm({"o": [o.slug for o in offerings]}, offerings=offerings)
        form.is_valid()
        matrix = matrix_compare(provider, edition.snapshot, [o.slug for o in offerings])
    only_diff = form.is_bound and form.is_valid() and form.cleaned_data.get("only_diff", False)
    context = provider_page(
        request,
        provider,
        "compare",
        edition=edition,
        offerings=offerings,
        form=form,
        matrix=matrix,
        only_diff=only_diff,
        diff_count=sum(row.differs for row in matrix.rows) if matrix else 0,
    )
    read(request, edition, "compare")
    return render(request, "matrices/compare.html", context)
