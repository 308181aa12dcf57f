"""The trust center's public pages: the index, a provider's page, the access request form
and the confirmation link."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from accounts.throttling import AccessRequestRate
from audit.context import client_ip
from matrices.models import Provider
from trust.forms import AccessRequestForm, request_stamp
from trust.requests import (
    UNKNOWN_LINK,
    AddressClaimed,
    access_request_confirm,
    access_request_create,
    access_request_for_token,
    access_request_refusal,
)
from trust.selectors import trust_enabled, trust_listed, trust_page, trust_provider_for

# A confirmed new reader is signed in with the backend that signs in by username or email
# (accounts.views does the same after an invitation's sign-up).
SIGN_IN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
RATE_LIMITED = "Too many access requests came from your network in the last hour: try again later."
TOO_MANY = 429
CONFLICT = 409
GONE = 410


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Every trust center open to outsiders, and the providers the visitor may read."""
    return render(request, "trust/index.html", {"providers": trust_listed(request.user)})


@require_safe
def page(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's trust center: its published documents, what this visitor may open, and
    how to ask for the rest."""
    found = trust_provider_for(request.user, provider)
    return render(request, "trust/page.html", {"trust": trust_page(request.user, found)})


def _request_page(
    request: HttpRequest,
    provider: Provider,
    form: AccessRequestForm,
    *,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    context = {
        "provider": provider,
        "form": form,
        "stamp": request_stamp(provider),
        "refusal": refusal,
    }
    return render(request, "trust/request.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def request_access(request: HttpRequest, provider: str) -> HttpResponse:
    """Name, work email, company and purpose; the address is confirmed through a link.

    Refused without writing anything: a form sent within seconds of being shown, older
    than a day or changed, one whose hidden field is filled (400), and more than
    ``TRUST_REQUESTS_PER_HOUR`` requests from one address (429).
    """
    found = trust_provider_for(request.user, provider)
    if not trust_enabled(found):
        raise Http404("This provider does not take access requests.")
    user = request.user
    initial = {"name": user.get_full_name(), "email": user.email} if user.is_authenticated else {}
    if request.method != "POST":
        return _request_page(request, found, AccessRequestForm(provider=found, initial=initial))
    form = AccessRequestForm(request.POST, provider=found)
    rate = AccessRequestRate()
    wait = rate.blocked_for(request)
    if wait is not None:
        refused = _request_page(request, found, form, status=TOO_MANY, refusal=RATE_LIMITED)
        refused["Retry-After"] = str(math.ceil(wait))
        return refused
    if not form.is_valid():
        return _request_page(request, found, form, status=400)
    try:
        access_request_create(
            provider=found,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            company=form.cleaned_data["company"],
            purpose=form.cleaned_data["purpose"],
            ip_address=client_ip(request),
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _request_page(request, found, form, status=400)
    rate.record(request)  # only requests sent on count: a form with mistakes is no flood
    request.session["trust_request_email"] = form.cleaned_data["email"].lower()
    return redirect(reverse("trust:request_sent", args=[found.slug]))


@require_safe
def request_sent(request: HttpRequest, provider: str) -> HttpResponse:
    found = trust_provider_for(request.user, provider)
    context = {"provider": found, "email": request.session.get("trust_request_email", "")}
    return render(request, "trust/request_sent.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation email. GET shows a button (mail scanners follow links;
    they must not use it up), POST confirms: a new account is signed in; an existing one
    signs in as usual (its second factor, if any, is not bypassed)."""
    found = access_request_for_token(token)
    if found is None:
        return render(request, "trust/confirm_gone.html", {"message": UNKNOWN_LINK}, status=404)
    refusal = access_request_refusal(found)
    if refusal:
        context = {"message": refusal, "provider": found.provider}
        return render(request, "trust/confirm_gone.html", context, status=GONE)
    if request.method != "POST":
        return render(request, "trust/confirm.html", {"access_request": found})
    try:
        result = access_request_confirm(
            access_request=found, visitor=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as exc:
        context = {"message": " ".join(exc.messages), "provider": found.provider}
        status = CONFLICT if isinstance(exc, AddressClaimed) else GONE
        return render(request, "trust/confirm_gone.html", context, status=status)
    provider = result.access_request.provider
    trust_url = reverse("trust:page", args=[provider.slug])
    approved = result.access_request.status == result.access_request.Status.APPROVED
    news = (
        f"Your address is confirmed and you may now read {provider.name}."
        if approved
        else f"Your address is confirmed; {provider.name}'s team will decide on your request, "
        "and you will be emailed either way."
    )
    if result.new_account:
        login(request, result.user, backend=SIGN_IN_BACKEND)
        messages.success(request, news)
        return redirect(trust_url)
    if request.user.is_authenticated and request.user.pk == result.user.pk:
        messages.success(request, news)
        return redirect(trust_url)
    context = {
        "access_request": result.access_request,
        "news": news,
        "login_url": redirect_to_login(trust_url)["Location"],
    }
    return render(request, "trust/confirmed.html", context)
