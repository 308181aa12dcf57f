"""A provider's Webhooks pages (its admins): the webhooks and a form for a new one; each
webhook's settings, its secret (shown once), a test event and its delivery log."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Action
from matrices.models import Provider
from matrices.views.errors import REFUSALS, invalid_status, refusal_message, refusal_status
from matrices.views.provider_page import provider_required
from trust.models import Webhook
from trust.views.team_page import trust_team_page
from trust.webhook_forms import ReasonForm, WebhookEditForm, WebhookForm
from trust.webhooks import (
    deliveries_of,
    secret_hint,
    webhook_create,
    webhook_delete,
    webhook_ping,
    webhook_redeliver,
    webhook_rotate_secret,
    webhook_update,
    webhooks_of,
)

# The secret just made or rotated, kept in the session until the webhook's page shows it.
SHOW_ONCE_SESSION_KEY = "webhook_just_made"
DELIVERIES_SHOWN = 50


def _list_page(
    request: HttpRequest, provider: Provider, form: WebhookForm, *, status: int = 200
) -> HttpResponse:
    context = trust_team_page(
        request,
        provider,
        "webhooks",
        form=form,
        webhooks=webhooks_of(provider),
    )
    return render(request, "trust/webhooks.html", context, status=status)


def _webhook_page(
    request: HttpRequest,
    provider: Provider,
    webhook: Webhook,
    *,
    form: WebhookEditForm | None = None,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    shown = request.session.get(SHOW_ONCE_SESSION_KEY) or {}
    secret = ""
    if shown.get("pk") == webhook.pk:
        secret = request.session.pop(SHOW_ONCE_SESSION_KEY)["secret"]
    deliveries = deliveries_of(webhook)
    context = trust_team_page(
        request,
        provider,
        "webhooks",
        webhook=webhook,
        secret=secret,
        secret_hint=secret_hint(webhook),
        form=form
        or WebhookEditForm(
            initial={"url": webhook.url, "events": webhook.events, "active": webhook.active}
        ),
        deliveries=deliveries[:DELIVERIES_SHOWN],
        deliveries_count=deliveries.count(),
        deliveries_shown=DELIVERIES_SHOWN,
        refusal=refusal,
    )
    return render(request, "trust/webhook.html", context, status=status)


def _show_secret_once(request: HttpRequest, webhook: Webhook) -> HttpResponse:
    request.session[SHOW_ONCE_SESSION_KEY] = {"pk": webhook.pk, "secret": webhook.secret}
    return redirect(reverse("trust:webhook", args=[webhook.provider.slug, webhook.pk]))


def _webhook_of(provider: Provider, pk: int) -> Webhook:
    return get_object_or_404(webhooks_of(provider), pk=pk)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.MANAGE_ACCESS)
def webhooks(request: HttpRequest, provider: Provider) -> HttpResponse:
    """The provider's webhooks; POST adds one and shows its secret, once."""
    form = WebhookForm(request.POST or None, initial={"events": []})
    if request.method != "POST":
        return _list_page(request, provider, form)
    if not form.is_valid():
        return _list_page(request, provider, form, status=invalid_status(request))
    try:
        webhook = webhook_create(
            actor=request.user,
            provider=provider,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            reason=form.cleaned_data["reason"],
        )
    except REFUSALS as exc:
        form.add_error(None, exc)
        return _list_page(request, provider, form, status=refusal_status(request, exc))
    messages.success(request, "Webhook added. Copy its secret now: it is shown only once.")
    return _show_secret_once(request, webhook)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.MANAGE_ACCESS)
def webhook(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    """One webhook: its settings (POST changes them) and its delivery log."""
    hook = _webhook_of(provider, pk)
    if request.method != "POST":
        return _webhook_page(request, provider, hook)
    form = WebhookEditForm(request.POST)
    if not form.is_valid():
        return _webhook_page(request, provider, hook, form=form, status=invalid_status(request))
    try:
        webhook_update(
            actor=request.user,
            webhook=hook,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            active=form.cleaned_data["active"],
            reason=form.cleaned_data["reason"],
        )
    except REFUSALS as exc:
        form.add_error(None, exc)
        status = refusal_status(request, exc)
        return _webhook_page(request, provider, hook, form=form, status=status)
    messages.success(request, "Webhook saved.")
    return redirect(reverse("trust:webhook", args=[provider.slug, hook.pk]))


def _action(
    request: HttpRequest, provider: Provider, hook: Webhook, do: Callable[[str], object]
) -> tuple[object, HttpResponse | None]:
    """``do(reason)`` with the posted reason: (its result, None), or (None, the webhook's
    page saying why nothing was done)."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        refusal = "Not done: the reason is too long."
        page = _webhook_page(
            request, provider, hook, status=invalid_status(request), refusal=refusal
        )
        return None, page
    try:
        return do(form.cleaned_data["reason"]), None
    except REFUSALS as exc:
        status = refusal_status(request, exc)
        refusal = f"Not done: {refusal_message(exc)}"
        return None, _webhook_page(request, provider, hook, status=status, refusal=refusal)


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def webhook_delete_view(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    """Delete the webhook and its delivery log."""
    hook = _webhook_of(provider, pk)
    _, refused = _action(
        request,
        provider,
        hook,
        lambda reason: webhook_delete(actor=request.user, webhook=hook, reason=reason),
    )
    if refused:
        return refused
    messages.success(request, f"Webhook to {hook.url} deleted.")
    return redirect(reverse("trust:webhooks", args=[provider.slug]))


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def webhook_rotate_view(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    """A new secret, shown once; the old one signs nothing more."""
    hook = _webhook_of(provider, pk)
    rotated, refused = _action(
        request,
        provider,
        hook,
        lambda reason: webhook_rotate_secret(actor=request.user, webhook=hook, reason=reason),
    )
    if refused:
        return refused
    messages.success(request, "New secret made. Copy it now: it is shown only once.")
    return _show_secret_once(request, rotated)


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def webhook_ping_view(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    """Send a test event ("ping")."""
    hook = _webhook_of(provider, pk)
    _, refused = _action(
        request,
        provider,
        hook,
        lambda reason: webhook_ping(actor=request.user, webhook=hook, reason=reason),
    )
    if refused:
        return refused
    messages.success(request, "Test event sent: its outcome is in the delivery log.")
    return redirect(reverse("trust:webhook", args=[provider.slug, hook.pk]) + "#deliveries")


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def webhook_redeliver_view(
    request: HttpRequest, provider: Provider, pk: int, delivery: int
) -> HttpResponse:
    """Send a delivery's payload again, as a new delivery."""
    hook = _webhook_of(provider, pk)
    original = get_object_or_404(deliveries_of(hook), pk=delivery)
    _, refused = _action(
        request,
        provider,
        hook,
        lambda reason: webhook_redeliver(actor=request.user, delivery=original, reason=reason),
    )
    if refused:
        return refused
    messages.success(request, f"Delivery {original.pk} sent again: see the newest line.")
    return redirect(reverse("trust:webhook", args=[provider.slug, hook.pk]) + "#deliveries")
