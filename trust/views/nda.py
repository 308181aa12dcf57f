"""The NDA pages: a reader's clickwrap (``/trust/<slug>/nda/``), and the provider team's
page of versions and acceptances (``/providers/<slug>/trust/nda/``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import can
from accounts.roles import Action
from audit.context import client_ip
from matrices.models import Provider
from matrices.views.errors import REFUSALS, invalid_status, refusal_message, refusal_status
from matrices.views.provider_page import provider_required
from trust.models import Nda
from trust.nda import (
    NDA_MAX_CHARS,
    nda_accept,
    nda_acceptance_of,
    nda_acceptances,
    nda_acceptances_export,
    nda_by_number,
    nda_clean,
    nda_current,
    nda_html,
    nda_publish,
    nda_reader,
    nda_versions,
)
from trust.nda_forms import NdaAcceptForm, NdaPublishForm
from trust.views.team_page import trust_team_page

# The latest acceptances listed on the team's page; the CSV export has them all.
ACCEPTANCES_SHOWN = 100


def _accept_form(current: Nda | None, company: str, data=None) -> NdaAcceptForm:
    initial = {"number": current.number, "sha256": current.sha256} if current else None
    return NdaAcceptForm(data, company=company, initial=initial)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def nda(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider's current NDA, for a reader given access, to read and accept."""
    provider_obj, grant = nda_reader(provider, request.user)
    company = grant.company if grant is not None else ""
    current = nda_current(provider_obj)
    form = _accept_form(current, company, request.POST if request.method == "POST" else None)
    status, refusal = 200, ""
    if request.method == "POST" and current is not None:
        if form.is_valid():
            try:
                nda_accept(
                    user=request.user,
                    provider=provider_obj,
                    nda=nda_by_number(provider_obj, form.cleaned_data["number"]),
                    ip_address=client_ip(request),
                    company=company,
                    sha256=form.cleaned_data["sha256"],
                )
            except REFUSALS as exc:
                # Show the current version afresh (a newer one may have been published).
                status, refusal = refusal_status(request, exc), refusal_message(exc)
                current = nda_current(provider_obj)
                form = _accept_form(current, company)
            else:
                messages.success(request, f"Thank you: you accepted {provider_obj.name}'s NDA.")
                return redirect(reverse("matrices:provider", args=[provider_obj.slug]))
        else:
            status = invalid_status(request)
    context = {
        "provider": provider_obj,
        "grant": grant,
        "current": current,
        "current_html": nda_html(current.body) if current else "",
        "accepted": nda_acceptance_of(current, request.user),
        "form": form,
        "refusal": refusal,
    }
    return render(request, "trust/nda.html", context, status=status)


def _manage_page(
    request: HttpRequest,
    provider: Provider,
    form: NdaPublishForm,
    *,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    versions = list(nda_versions(provider))
    acceptances = nda_acceptances(provider)
    context = trust_team_page(
        request,
        provider,
        "nda",
        form=form,
        versions=[(version, nda_html(version.body)) for version in versions],
        current=versions[0] if versions else None,
        acceptances=acceptances[:ACCEPTANCES_SHOWN],
        acceptance_total=acceptances.count(),
        acceptances_shown=ACCEPTANCES_SHOWN,
        may_write=can(request.user, provider, Action.MANAGE_ACCESS),
        max_chars=NDA_MAX_CHARS,
        refusal=refusal,
    )
    return render(request, "trust/nda_manage.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.MANAGE_TRUST)
def nda_manage(request: HttpRequest, provider: Provider) -> HttpResponse:
    """The NDA's versions and who accepted them; provider admins publish a new version."""
    if request.method != "POST":
        current = nda_current(provider)
        form = NdaPublishForm(initial={"body": current.body} if current else None)
        return _manage_page(request, provider, form)
    form = NdaPublishForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, provider, form, status=invalid_status(request))
    try:
        version = nda_publish(
            actor=request.user,
            provider=provider,
            body=form.cleaned_data["body"],
            reason=form.cleaned_data["reason"],
        )
    except REFUSALS as exc:
        refusal = ""
        if isinstance(exc, ValidationError):
            form.add_error(None, exc)
        else:
            refusal = f"Not published: {refusal_message(exc)}"
        return _manage_page(
            request, provider, form, status=refusal_status(request, exc), refusal=refusal
        )
    messages.success(
        request,
        f"Version {version.number} published: every reader accepts it before reading on.",
    )
    return redirect(reverse("trust:nda_manage", args=[provider.slug]))


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def nda_preview(request: HttpRequest, provider: Provider) -> HttpResponse:
    """The agreement being written, rendered as readers will see it (htmx; its writers,
    the provider's admins, only)."""
    html = nda_html(nda_clean(request.POST.get("body", "")[:NDA_MAX_CHARS]))
    return render(request, "trust/_nda_preview.html", {"html": html})


@require_safe
@provider_required(Action.MANAGE_TRUST)
def nda_acceptances_csv(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Every acceptance of the provider's NDA, as CSV (spreadsheet formulas neutralised)."""
    # A HEAD exports nothing, so it records no export either.
    lines = (
        iter(())
        if request.method == "HEAD"
        else nda_acceptances_export(actor=request.user, provider=provider)
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = f'attachment; filename="{provider.slug}-nda-acceptances.csv"'
    return response
