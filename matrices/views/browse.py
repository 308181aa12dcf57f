"""Public browsing pages: home, search, matrix, offering, checklist, compare."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import provider_required
from matrices import selectors
from matrices.filtersets import ProviderFilterSet
from matrices.forms import CompareForm, SearchForm
from matrices.models import PartyRole, Provider
from matrices.services import may_create_providers
from matrices.views.cache import cache_public_page
from matrices.views.htmx import render_page
from matrices.views.source import Source, page_source


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The same filters as GET /api/v1/providers/; invalid ones are shown, not applied.
    filterset = ProviderFilterSet(request.GET, queryset=selectors.provider_list(request.user))
    filtered = filterset.is_valid() and any(filterset.form.cleaned_data.values())
    cards = selectors.provider_cards(filterset.qs if filterset.is_valid() else filterset.queryset)
    return render(
        request,
        "matrices/home.html",
        {
            "providers": [card for card in cards if not card.provider.is_template],
            "templates": [card for card in cards if card.provider.is_template],
            "form": SearchForm(),
            "filters": filterset.form,
            "filtered": filtered,
            "may_create_providers": may_create_providers(request.user),
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits, truncated = [], False
    if form.is_valid():
        hits, truncated = selectors.duty_search(form.cleaned_data["q"], request.user)
    context = {
        "form": form,
        "query": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
        "groups": selectors.group_hits(hits),
        "hit_count": len(hits),
        "truncated": truncated,
        "limit": selectors.SEARCH_LIMIT,
    }
    return render_page(
        request, "matrices/search.html", context, partial="matrices/_search_results.html"
    )


PDF_CHOICES = {
    "matrix": [("matrix", "Whole matrix")],
    "offering": [("offering", "This offering"), ("checklist", "Customer checklist")],
    "checklist": [("checklist", "Customer checklist")],
}


def _provider_context(source: Source, provider: Provider, page: str, **extra) -> dict:
    offerings = selectors.matrix_from_snapshot(provider, source.snapshot, domains=[]).offerings
    return {
        "provider": provider,
        "source": source,
        "may": source.may,
        "page": page,
        "provider_offerings": offerings,
        "pdf_choices": PDF_CHOICES.get(page, []),
        **extra,
    }


@require_GET
@cache_public_page
@provider_required()
def provider_matrix(request: HttpRequest, provider: Provider) -> HttpResponse:
    source = page_source(request, provider, prefer_draft=True)
    matrix = selectors.matrix_from_snapshot(provider, source.snapshot)
    if source.is_draft:
        source.unpublished_cells = selectors.mark_unpublished(
            matrix, source.snapshot, source.published.snapshot if source.published else None
        )
    return render(
        request,
        "matrices/provider_matrix.html",
        _provider_context(source, provider, "matrix", matrix=matrix),
    )


@require_GET
@cache_public_page
@provider_required()
def offering_detail(request: HttpRequest, provider: Provider, offering: str) -> HttpResponse:
    source = page_source(request, provider)
    offering_data = source.offering(offering)
    matrix = selectors.matrix_from_snapshot(provider, source.snapshot, offerings=[offering])
    return render(
        request,
        "matrices/offering.html",
        _provider_context(
            source,
            provider,
            "offering",
            offering=matrix.offerings[0],
            matrix=matrix,
            offering_data=offering_data,
            ownership_counts=selectors.ownership_counts(matrix),
        ),
    )


@require_GET
@cache_public_page
@provider_required()
def customer_checklist(request: HttpRequest, provider: Provider, offering: str) -> HttpResponse:
    source = page_source(request, provider)
    source.offering(offering)
    matrix = selectors.matrix_from_snapshot(provider, source.snapshot, offerings=[offering])
    items, nothing_to_do = [], []
    for row in matrix.rows:
        cell = row.cells[0]
        duties = [d for d in cell.duties_of(role=PartyRole.CUSTOMER) if not d.not_applicable]
        (items if duties else nothing_to_do).append((row, cell, duties))
    return render(
        request,
        "matrices/checklist.html",
        _provider_context(
            source,
            provider,
            "checklist",
            offering=matrix.offerings[0],
            customers=matrix.customer_parties,
            items=items,
            nothing_to_do=nothing_to_do,
            duty_count=sum(len(duties) for _, _, duties in items),
        ),
    )


@require_GET
@cache_public_page
@provider_required()
def compare(request: HttpRequest, provider: Provider) -> HttpResponse:
    source = page_source(request, provider)
    offerings = selectors.matrix_from_snapshot(provider, source.snapshot, domains=[]).offerings
    form = CompareForm(request.GET or None, offerings=offerings)
    matrix = None
    if form.is_valid():
        slugs = [o.slug for o in form.cleaned_data["o"]]
        matrix = selectors.matrix_compare(provider, source.snapshot, slugs)
    elif not request.GET.getlist("o") and len(offerings) >= 2:
        # First visit: compare everything, so the page answers at once.
        form = CompareForm({"o": [o.slug for o in offerings]}, offerings=offerings)
        form.is_valid()
        matrix = selectors.matrix_compare(provider, source.snapshot, [o.slug for o in offerings])
    only_diff = form.is_bound and form.is_valid() and form.cleaned_data.get("only_diff", False)
    return render(
        request,
        "matrices/compare.html",
        _provider_context(
            source,
            provider,
            "compare",
            offerings=offerings,
            form=form,
            matrix=matrix,
            only_diff=only_diff,
            diff_count=sum(row.differs for row in matrix.rows) if matrix else 0,
        ),
    )
