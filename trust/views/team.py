"""The provider team's trust-center pages (admins and trust managers): the settings, the
queue of access requests, and the readers given access."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import Action
from matrices.models import Provider
from matrices.views.errors import REFUSALS, invalid_status, refusal_message, refusal_status
from matrices.views.provider_page import provider_required
from trust.centers import trust_center_of, trust_center_update
from trust.forms import (
    ApproveForm,
    DenyForm,
    ExtendForm,
    RevokeForm,
    TrustCenterForm,
    portal_date,
)
from trust.grants import grant_extend, grant_revoke
from trust.models import AccessGrant, AccessRequest
from trust.requests import access_request_approve, access_request_deny
from trust.selectors import (
    grants_split,
    offerings_to_grant,
    requests_queue,
    requests_unconfirmed,
)
from trust.views.team_page import trust_team_page


def _page(
    request: HttpRequest,
    provider: Provider,
    template: str,
    section: str,
    *,
    status: int = 200,
    **extra,
) -> HttpResponse:
    context = trust_team_page(request, provider, section, **extra)
    return render(request, template, context, status=status)


# Settings ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.MANAGE_TRUST)
def team(request: HttpRequest, provider: Provider) -> HttpResponse:
    """The trust center's settings: enabled, introduction, default length, domains."""
    center = trust_center_of(provider)
    initial = {
        "enabled": center.enabled,
        "introduction": center.introduction,
        "default_days": center.default_days,
        "auto_approve_domains": "\n".join(center.auto_approve_domains),
    }
    form = TrustCenterForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return _page(request, provider, "trust/team.html", "settings", form=form)
    if not form.is_valid():
        return _page(
            request,
            provider,
            "trust/team.html",
            "settings",
            form=form,
            status=invalid_status(request),
        )
    data = form.cleaned_data
    try:
        trust_center_update(
            actor=request.user,
            provider=provider,
            enabled=data["enabled"],
            introduction=data["introduction"],
            default_days=data["default_days"],
            auto_approve_domains=data["auto_approve_domains"],
            reason=data["reason"],
        )
    except REFUSALS as exc:
        _add_refusal(form, exc)
        return _page(
            request,
            provider,
            "trust/team.html",
            "settings",
            form=form,
            status=refusal_status(request, exc),
        )
    messages.success(request, "Trust-center settings saved.")
    return redirect(reverse("trust:team", args=[provider.slug]))


def _add_refusal(form, exc: Exception) -> None:
    """Show a refused write on the form: by field where the service names one it has."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, refusal_message(exc))


# The queue -----------------------------------------------------------------------------


def _queue(
    request: HttpRequest,
    provider: Provider,
    *,
    status: int = 200,
    bound: dict | None = None,
    refusal: str = "",
) -> HttpResponse:
    """The queue, each pending request with its approve and deny forms (``bound``: the form
    just refused, by request id, shown with its errors; ``refusal``: said atop the page)."""
    center = trust_center_of(provider)
    offerings = offerings_to_grant(provider)
    waiting, decided = [], []
    for access_request in requests_queue(provider):
        if access_request.status != AccessRequest.Status.PENDING:
            decided.append(access_request)
            continue
        forms = {
            "approve": ApproveForm(
                prefix=f"approve-{access_request.pk}",
                offerings=offerings,
                default_days=center.default_days,
            ),
            "deny": DenyForm(prefix=f"deny-{access_request.pk}"),
        }
        forms.update((bound or {}).get(access_request.pk, {}))
        waiting.append({"request": access_request, **forms})
    return _page(
        request,
        provider,
        "trust/queue.html",
        "requests",
        status=status,
        waiting=waiting,
        decided=decided,
        unconfirmed=requests_unconfirmed(provider),
        refusal=refusal,
    )


@require_safe
@provider_required(Action.MANAGE_TRUST)
def queue(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Access requests: those waiting first, then the ones decided."""
    return _queue(request, provider)


def _queue_refused(request, provider, access_request, exc: Exception, forms: dict) -> HttpResponse:
    """The queue again after a refused decision: the form with its errors, or, when someone
    decided meanwhile, the page as it now is (409) saying who did."""
    access_request.refresh_from_db()
    if access_request.status != AccessRequest.Status.PENDING:
        return _queue(request, provider, status=409, refusal=refusal_message(exc))
    for form in forms.values():
        _add_refusal(form, exc)
    return _queue(
        request, provider, status=refusal_status(request, exc), bound={access_request.pk: forms}
    )


def _back_to_queue(provider: Provider) -> HttpResponse:
    return redirect(reverse("trust:requests", args=[provider.slug]))


@require_POST
@provider_required(Action.MANAGE_TRUST)
def approve(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    access_request = get_object_or_404(AccessRequest, pk=pk, provider=provider)
    form = ApproveForm(
        request.POST,
        prefix=f"approve-{pk}",
        offerings=offerings_to_grant(provider),
        default_days=trust_center_of(provider).default_days,
    )
    if not form.is_valid():
        return _queue(
            request, provider, status=invalid_status(request), bound={pk: {"approve": form}}
        )
    try:
        grant = access_request_approve(
            actor=request.user,
            access_request=access_request,
            expires_at=form.expires_at,
            offerings=form.cleaned_data["offerings"],
            base_url=request.build_absolute_uri("/"),
        )
    except REFUSALS as exc:
        return _queue_refused(request, provider, access_request, exc, {"approve": form})
    until = date_format(grant.expires_at, "j F Y")
    messages.success(request, f"{access_request.name} may read {provider.name} until {until}.")
    return _back_to_queue(provider)


@require_POST
@provider_required(Action.MANAGE_TRUST)
def deny(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    access_request = get_object_or_404(AccessRequest, pk=pk, provider=provider)
    form = DenyForm(request.POST, prefix=f"deny-{pk}")
    if not form.is_valid():
        return _queue(request, provider, status=invalid_status(request), bound={pk: {"deny": form}})
    try:
        access_request_deny(
            actor=request.user, access_request=access_request, reason=form.cleaned_data["reason"]
        )
    except REFUSALS as exc:
        return _queue_refused(request, provider, access_request, exc, {"deny": form})
    messages.success(request, f"Denied; {access_request.email} is told why.")
    return _back_to_queue(provider)


# Readers -------------------------------------------------------------------------------


def _readers(
    request: HttpRequest, provider: Provider, *, status: int = 200, bound: dict | None = None
) -> HttpResponse:
    live, ended = grants_split(provider)
    rows = []
    for grant in live:
        forms = {
            "extend": ExtendForm(
                prefix=f"extend-{grant.pk}", initial={"expires_on": portal_date(grant.expires_at)}
            ),
            "revoke": RevokeForm(prefix=f"revoke-{grant.pk}"),
        }
        forms.update((bound or {}).get(grant.pk, {}))
        rows.append({"grant": grant, **forms})
    return _page(
        request, provider, "trust/readers.html", "readers", status=status, rows=rows, ended=ended
    )


@require_safe
@provider_required(Action.MANAGE_TRUST)
def readers(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Who may read now, until when, and whose access ended."""
    return _readers(request, provider)


def _back_to_readers(provider: Provider) -> HttpResponse:
    return redirect(reverse("trust:readers", args=[provider.slug]))


def _on_grant(
    request: HttpRequest,
    provider: Provider,
    pk: int,
    name: str,
    form_class: type[ExtendForm | RevokeForm],
    do: Callable[[AccessGrant, ExtendForm | RevokeForm], AccessGrant],
) -> AccessGrant | HttpResponse:
    """``do(grant, form)`` with the reader's posted form ``name``: the grant it returns, or
    the readers page again with that form's errors (invalid, or refused by the service)."""
    grant = get_object_or_404(AccessGrant, pk=pk, provider=provider)
    form = form_class(request.POST, prefix=f"{name}-{pk}")
    if not form.is_valid():
        return _readers(request, provider, status=invalid_status(request), bound={pk: {name: form}})
    try:
        return do(grant, form)
    except REFUSALS as exc:
        _add_refusal(form, exc)
        status = refusal_status(request, exc)
        return _readers(request, provider, status=status, bound={pk: {name: form}})


@require_POST
@provider_required(Action.MANAGE_TRUST)
def extend(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    done = _on_grant(
        request,
        provider,
        pk,
        "extend",
        ExtendForm,
        lambda grant, form: grant_extend(
            actor=request.user,
            grant=grant,
            expires_at=form.expires_at,
            reason=form.cleaned_data["reason"],
        ),
    )
    if isinstance(done, HttpResponse):
        return done
    until = date_format(done.expires_at, "j F Y")
    messages.success(request, f"{done.user.email or done.user} may read until {until}.")
    return _back_to_readers(provider)


@require_POST
@provider_required(Action.MANAGE_TRUST)
def revoke(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    done = _on_grant(
        request,
        provider,
        pk,
        "revoke",
        RevokeForm,
        lambda grant, form: grant_revoke(
            actor=request.user, grant=grant, reason=form.cleaned_data["reason"]
        ),
    )
    if isinstance(done, HttpResponse):
        return done
    messages.success(request, f"{done.user.email or done.user} may no longer read {provider.name}.")
    return _back_to_readers(provider)
