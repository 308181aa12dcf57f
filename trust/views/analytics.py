"""The analytics page of a provider and its CSV export, for its admins and trust managers."""

from __future__ import annotations

from dataclasses import replace

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from accounts.roles import Action
from matrices.models import Provider
from matrices.views.errors import invalid_status
from matrices.views.provider_page import provider_required
from trust.analytics import companies_seen, events_export, provider_analytics, read_events
from trust.analytics_forms import PERIODS, AnalyticsFilterForm
from trust.chart import NARROW, WIDE, daily_chart
from trust.views.team_page import trust_team_page

EVENTS_PER_PAGE = 25


@require_safe
@provider_required(Action.MANAGE_TRUST)
def analytics(request: HttpRequest, provider: Provider) -> HttpResponse:
    form = AnalyticsFilterForm(request.GET)
    filters = form.filters()
    report = provider_analytics(provider, filters)
    events = Paginator(read_events(provider, filters), EVENTS_PER_PAGE)
    query = urlencode(filters.as_params())
    context = trust_team_page(
        request,
        provider,
        "analytics",
        form=form,
        filter_errors=form.error_lines() if form.errors else [],
        filters=filters,
        period_label=dict(PERIODS).get(filters.days, f"Last {filters.days} days"),
        report=report,
        charts={
            "wide": daily_chart(report.per_day, **WIDE),
            "narrow": daily_chart(report.per_day, **NARROW),
        },
        events=events.get_page(request.GET.get("page")),
        companies=companies_seen(provider),
        query=query,
        company_query=urlencode(replace(filters, company="").as_params()),
        csv_url=reverse("trust:analytics_csv", args=[provider.slug]) + f"?{query}",
    )
    status = invalid_status(request) if form.errors else 200
    return render(request, "trust/analytics.html", context, status=status)


@require_safe
@provider_required(Action.MANAGE_TRUST)
def analytics_csv(request: HttpRequest, provider: Provider) -> HttpResponse:
    form = AnalyticsFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Invalid filters:\n" + "\n".join(form.error_lines()) + "\n", content_type="text/plain"
        )
    # A HEAD exports nothing, so it records no export either.
    lines = (
        iter(())
        if request.method == "HEAD"
        else events_export(actor=request.user, provider=provider, filters=form.filters())
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = f"reading-{provider.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
