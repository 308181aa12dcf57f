"""Public browsing pages: home, search, matrix, offering, checklist, compare."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import capabilities
from accounts.decorators import provider_required
from matrices import selectors
from matrices.forms import CompareForm, SearchForm
from matrices.models import Offering, PartyRole, Provider
from matrices.views.htmx import render_page


def _offering_or_404(provider: Provider, slug: str) -> Offering:
    try:
        return provider.offerings.get(slug=slug)
    except Offering.DoesNotExist:
        raise Http404("No such offering.") from None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    providers = list(selectors.provider_list(request.user))
    return render(
        request,
        "matrices/home.html",
        {
            "providers": [p for p in providers if not p.is_template],
            "templates": [p for p in providers if p.is_template],
            "form": SearchForm(),
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


@require_GET
@provider_required()
def provider_matrix(request: HttpRequest, provider: Provider) -> HttpResponse:
    matrix = selectors.matrix_build(provider)
    return render(
        request,
        "matrices/provider_matrix.html",
        {
            "provider": provider,
            "may": capabilities(request.user, provider),
            "matrix": matrix,
            "page": "matrix",
            "provider_offerings": matrix.offerings,
        },
    )


@require_GET
@provider_required()
def offering_detail(request: HttpRequest, provider: Provider, offering: str) -> HttpResponse:
    offering_obj = _offering_or_404(provider, offering)
    matrix = selectors.matrix_build(provider, [offering_obj])
    return render(
        request,
        "matrices/offering.html",
        {
            "provider": provider,
            "may": capabilities(request.user, provider),
            "offering": offering_obj,
            "matrix": matrix,
            "page": "offering",
            "provider_offerings": list(provider.offerings.all()),
            "ownership_counts": selectors.ownership_counts(matrix),
        },
    )


@require_GET
@provider_required()
def customer_checklist(request: HttpRequest, provider: Provider, offering: str) -> HttpResponse:
    offering_obj = _offering_or_404(provider, offering)
    matrix = selectors.matrix_build(provider, [offering_obj])
    customers = matrix.customer_parties
    items, nothing_to_do = [], []
    for row in matrix.rows:
        cell = row.cells[0]
        duties = [d for d in cell.duties_of(role=PartyRole.CUSTOMER) if not d.not_applicable]
        (items if duties else nothing_to_do).append((row, cell, duties))
    return render(
        request,
        "matrices/checklist.html",
        {
            "provider": provider,
            "may": capabilities(request.user, provider),
            "offering": offering_obj,
            "customers": customers,
            "items": items,
            "nothing_to_do": nothing_to_do,
            "duty_count": sum(len(duties) for _, _, duties in items),
            "page": "checklist",
            "provider_offerings": list(provider.offerings.all()),
        },
    )


@require_GET
@provider_required()
def compare(request: HttpRequest, provider: Provider) -> HttpResponse:
    offerings = list(provider.offerings.all())
    form = CompareForm(request.GET or None, offerings=offerings)
    matrix = None
    if form.is_valid():
        matrix = selectors.matrix_compare(provider, form.cleaned_data["o"])
    elif not form.is_bound and len(offerings) >= 2:
        # First visit: compare everything, so the page answers at once.
        form = CompareForm({"o": [o.slug for o in offerings]}, offerings=offerings)
        form.is_valid()
        matrix = selectors.matrix_compare(provider, offerings)
    only_diff = form.is_bound and form.is_valid() and form.cleaned_data.get("only_diff", False)
    return render(
        request,
        "matrices/compare.html",
        {
            "provider": provider,
            "may": capabilities(request.user, provider),
            "offerings": offerings,
            "provider_offerings": offerings,
            "page": "compare",
            "form": form,
            "matrix": matrix,
            "only_diff": only_diff,
            "diff_count": sum(row.differs for row in matrix.rows) if matrix else 0,
        },
    )
