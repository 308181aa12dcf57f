"""Subscriptions to a provider's new versions: the subscribe form and its "check your inbox"
page, the emailed confirm and unsubscribe links, and the team's list of subscribers."""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import Action
from accounts.throttling import SubscribeRate
from matrices.models import Provider
from matrices.views.errors import invalid_status
from matrices.views.provider_page import provider_page, provider_required
from trust.subscription_forms import SubscribeForm
from trust.subscriptions import (
    LinkUsed,
    SubscriberStatus,
    subscribers_list,
    subscription_confirm,
    subscription_for_confirm_token,
    subscription_for_unsubscribe_token,
    subscription_request,
    subscription_unsubscribe,
)
from trust.views.team_page import trust_team_page

TOO_MANY = 429


def _subscribe_page(
    request: HttpRequest, provider: Provider, form: SubscribeForm, *, status: int = 200, **extra
) -> HttpResponse:
    context = provider_page(request, provider, "subscribe", form=form, **extra)
    return render(request, "trust/subscribe.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@provider_required()
def subscribe(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Whoever may read the provider subscribes an address (their own, signed in); the
    answer is the same whether or not it was subscribed already."""
    form = SubscribeForm(request.POST or None, user=request.user)
    if request.method != "POST":
        return _subscribe_page(request, provider, form)
    throttle = SubscribeRate()
    if not throttle.allow_request(request, None):
        minutes = math.ceil((throttle.wait() or 60) / 60)
        response = _subscribe_page(
            request,
            provider,
            form,
            status=TOO_MANY,
            refusal=f"Too many requests from your address: try again in {minutes} minutes.",
        )
        response["Retry-After"] = str(minutes * 60)
        return response
    if not form.is_valid():
        return _subscribe_page(request, provider, form, status=invalid_status(request))
    if not form.is_bot:  # a bot is told what a person is told, and nothing is written
        try:
            subscription_request(
                provider=provider,
                email=form.cleaned_data["email"],
                user=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return _subscribe_page(request, provider, form, status=invalid_status(request))
        except PermissionDenied as exc:
            return _subscribe_page(request, provider, form, status=403, refusal=str(exc))
    return redirect(reverse("trust:subscribe_sent", args=[provider.slug]))


@require_safe
@provider_required()
def subscribe_sent(request: HttpRequest, provider: Provider) -> HttpResponse:
    context = provider_page(request, provider, "subscribe")
    return render(request, "trust/subscribe_sent.html", context)


def _link_gone(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "trust/subscription_link.html", {"gone": message}, status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed confirmation link: a page with a button (a link scanner that opens it
    confirms nothing); the button confirms, once."""
    if request.method != "POST":
        subscription = subscription_for_confirm_token(token)
        if subscription is None:
            return _link_gone(request, "This link was already used, or a newer one replaced it.")
        return render(
            request,
            "trust/subscription_link.html",
            {"subscription": subscription, "step": "confirm"},
        )
    try:
        subscription = subscription_confirm(token=token)
    except LinkUsed as exc:
        return _link_gone(request, str(exc))
    return render(
        request, "trust/subscription_link.html", {"subscription": subscription, "step": "confirmed"}
    )


# RFC 8058: mail programs POST here, without a session or a CSRF token, to unsubscribe in one
# click. Exempt because all it can do is end the one subscription its signed link names; a GET
# only shows a button, so link scanners unsubscribe nobody.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        subscription = subscription_for_unsubscribe_token(token)
        step = "unsubscribe"
    else:
        subscription = subscription_unsubscribe(token=token)
        step = "unsubscribed"
    if subscription is None:
        return _link_gone(request, "This unsubscribe link is not valid.")
    if subscription.unsubscribed_at is not None and step == "unsubscribe":
        step = "unsubscribed"
    context = {"subscription": subscription, "step": step, "token": token}
    return render(request, "trust/subscription_link.html", context)


@require_safe
@provider_required(Action.MANAGE_TRUST)
def subscribers(request: HttpRequest, provider: Provider) -> HttpResponse:
    """The provider's subscribers and where each stands, for its trust managers."""
    rows = subscribers_list(provider)
    counts = dict.fromkeys(SubscriberStatus, 0)
    for row in rows:
        counts[row.status] += 1
    context = trust_team_page(
        request,
        provider,
        "subscribers",
        subscribers=rows,
        counts=[(status.label, counts[status]) for status in SubscriberStatus if counts[status]],
    )
    return render(request, "trust/subscribers.html", context)
