"""Subscriptions to a provider's new versions, by email, with a double opt-in.

Anyone who may read a provider subscribes an address; for a gated provider (not public)
only a signed-in reader, whose subscription is tied to their account so that each notice
is checked against their access when it is sent. A subscription counts once its address
is confirmed through an emailed link (only the link's SHA-256 is stored, and it works
once); every email carries a one-click unsubscribe link (``trust.notices``).

Asking again for an address already subscribed (confirmed or not) creates nothing and
answers the same: the address is emailed again, so nobody learns from the answer whether
it was subscribed.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import can
from accounts.roles import Action, Visibility
from audit.models import AuditAction
from matrices.models import MatrixVersion, Provider
from matrices.services.auditing import audit_change
from trust.links import link_digest, link_token
from trust.mail import absolute, mail_on_commit
from trust.models import Subscription
from trust.notices import (
    may_still_read,
    subscribers_active,
    unsubscribe_headers,
    unsubscribe_pk,
    unsubscribe_url,
)
from trust.tasks import subscribers_notify


def _normalized(email: str) -> str:
    return (email or "").strip().lower()


# Reads ---------------------------------------------------------------------------------


class SubscriberStatus(models.TextChoices):
    """Where a subscription stands, as its provider's team sees it."""

    PENDING = "pending", "Waiting for confirmation"
    ACTIVE = "active", "Subscribed"
    NO_ACCESS = "no-access", "Lost access: not emailed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


def subscription_status(subscription: Subscription) -> SubscriberStatus:
    if subscription.unsubscribed_at is not None:
        return SubscriberStatus.UNSUBSCRIBED
    if subscription.confirmed_at is None:
        return SubscriberStatus.PENDING
    if may_still_read(subscription):
        return SubscriberStatus.ACTIVE
    return SubscriberStatus.NO_ACCESS


def subscribers_list(provider: Provider) -> list[Subscription]:
    """Every subscription of ``provider``, newest first, each with its ``status`` (for the
    provider's team)."""
    rows = list(Subscription.objects.filter(provider=provider).select_related("user", "provider"))
    for row in rows:
        row.status = subscription_status(row)
    return rows


def subscription_for_confirm_token(token: str) -> Subscription | None:
    """The live, unconfirmed subscription whose confirmation link carries ``token``."""
    if not token:
        return None
    return (
        Subscription.objects.select_related("provider")
        .filter(digest=link_digest(token), confirmed_at__isnull=True, unsubscribed_at__isnull=True)
        .first()
    )


def subscription_for_unsubscribe_token(token: str) -> Subscription | None:
    """The subscription (live or ended) whose unsubscribe link carries ``token``."""
    pk = unsubscribe_pk(token)
    if pk is None:
        return None
    return Subscription.objects.select_related("provider").filter(pk=pk).first()


def may_subscribe(user, provider: Provider) -> bool:
    """Whether ``user`` may subscribe to ``provider``: whoever may read it; for a gated
    provider, only a signed-in reader (the notices are checked against their access)."""
    user = user or AnonymousUser()
    if provider.visibility != Visibility.PUBLIC and not user.is_authenticated:
        return False
    return can(user, provider, Action.VIEW)


# Writes --------------------------------------------------------------------------------


def _send_confirmation(subscription: Subscription, token: str, base_url: str) -> None:
    mail_on_commit(
        "subscription_confirm",
        {
            "subscription": subscription,
            "provider": subscription.provider,
            "link": absolute(base_url, reverse("trust:subscription_confirm", args=[token])),
            "unsubscribe": unsubscribe_url(subscription, base_url),
        },
        subscription.email,
        headers=unsubscribe_headers(subscription, base_url),
        about=f"subscription {subscription.pk}",
    )


def _send_reminder(subscription: Subscription, base_url: str) -> None:
    """To an address already subscribed and confirmed: it is, and how to stop."""
    mail_on_commit(
        "subscription_active",
        {
            "subscription": subscription,
            "provider": subscription.provider,
            "link": absolute(base_url, subscription.provider.get_absolute_url()),
            "unsubscribe": unsubscribe_url(subscription, base_url),
        },
        subscription.email,
        headers=unsubscribe_headers(subscription, base_url),
        about=f"subscription {subscription.pk}",
    )


@transaction.atomic
def subscription_request(
    *, provider: Provider, email: str, user=None, base_url: str = ""
) -> Subscription:
    """Subscribe ``email`` to ``provider``'s new versions, once the address confirms.

    A signed-in ``user`` subscribes their account's address, and the subscription is tied
    to them. Refuses (PermissionDenied) whoever may not subscribe (``may_subscribe``). An
    address already subscribed is emailed again (a new confirmation link if it never
    confirmed; else a note that it is subscribed); a signed-in reader asking for an address
    tied to someone else (or to no one) takes it over, through a new confirmation.
    """
    user = user if user is not None and user.is_authenticated else None
    if not may_subscribe(user, provider):
        raise PermissionDenied(f"You may not subscribe to {provider.name}.")
    email = _normalized(email)
    if user is not None:
        own = _normalized(user.email)
        if not own:
            raise ValidationError({"email": "Your account has no email address: add one first."})
        if email and email != own:
            raise ValidationError({"email": "Signed in, you subscribe your account's address."})
        email = own
    validate_email(email)
    live = (
        Subscription.objects.select_for_update()
        .filter(provider=provider, email=email, unsubscribed_at__isnull=True)
        .first()
    )
    token, digest = link_token()
    if live is None:
        subscription = Subscription(provider=provider, email=email, user=user, digest=digest)
        # The one-live-subscription constraint is left to the database: a check here could
        # say "already subscribed" to a request racing another for the same address.
        subscription.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                subscription.save()
        except IntegrityError:  # the same address, asked for at the same moment: that one wins
            return Subscription.objects.get(
                provider=provider, email=email, unsubscribed_at__isnull=True
            )
        audit_change(
            subscription, AuditAction.CREATE, actor=user, after=subscription.audit_snapshot()
        )
        _send_confirmation(subscription, token, base_url)
        return subscription
    before = live.audit_snapshot()
    if user is not None and live.user_id != user.pk:
        live.user, live.confirmed_at, live.digest = user, None, digest
        live.full_clean()
        live.save(update_fields=["user", "confirmed_at", "digest"])
        audit_change(
            live,
            AuditAction.UPDATE,
            actor=user,
            before=before,
            after=live.audit_snapshot(),
            reason="asked for again by a signed-in reader: to be confirmed again",
        )
        _send_confirmation(live, token, base_url)
    elif live.confirmed_at is None:
        live.digest = digest
        live.full_clean()
        live.save(update_fields=["digest"])
        audit_change(live, AuditAction.RESEND, actor=user, after=before, reason="new link")
        _send_confirmation(live, token, base_url)
    else:
        audit_change(
            live, AuditAction.RESEND, actor=user, after=before, reason="already subscribed"
        )
        _send_reminder(live, base_url)
    return live


class LinkUsed(Exception):
    """The confirmation link was used, replaced by a newer one, or never existed."""


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """Confirm the address of the subscription whose link carries ``token``; the link then
    stops working (raises ``LinkUsed`` when it already has)."""
    found = subscription_for_confirm_token(token)
    if found is None:
        raise LinkUsed("This link was already used, or a newer one replaced it.")
    subscription = Subscription.objects.select_for_update().get(pk=found.pk)
    if subscription.confirmed_at is not None or subscription.digest != found.digest:
        raise LinkUsed("This link was already used, or a newer one replaced it.")
    return _confirmed(subscription, reason="confirmed through the emailed link")


def _confirmed(subscription: Subscription, *, reason: str) -> Subscription:
    before = subscription.audit_snapshot()
    # A digest of a token nobody was sent: the link just used is dead.
    subscription.confirmed_at, subscription.digest = timezone.now(), link_token()[1]
    subscription.full_clean()
    subscription.save(update_fields=["confirmed_at", "digest"])
    audit_change(
        subscription,
        AuditAction.CONFIRM,
        actor=None,  # whoever holds the link: the request's user, or an anonymous visitor
        before=before,
        after=subscription.audit_snapshot(),
        reason=reason,
    )
    return subscription


@transaction.atomic
def subscription_confirm_loaded(*, subscription: Subscription, reason: str) -> Subscription:
    """Confirm a subscription the system itself loaded (the demo data), without the emailed
    link; never called from a request. A confirmed or ended one is left as it is."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.confirmed_at is not None or subscription.unsubscribed_at is not None:
        return subscription
    return _confirmed(subscription, reason=reason)


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Subscription | None:
    """End the subscription whose unsubscribe link carries ``token`` (at once, no sign-in);
    asking again changes nothing. None for a link that names no subscription."""
    found = subscription_for_unsubscribe_token(token)
    if found is None:
        return None
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("provider")
        .get(pk=found.pk)
    )
    if subscription.unsubscribed_at is not None:
        return subscription
    before = subscription.audit_snapshot()
    subscription.unsubscribed_at = timezone.now()
    subscription.full_clean()
    subscription.save(update_fields=["unsubscribed_at"])
    audit_change(
        subscription,
        AuditAction.DELETE,
        actor=None,
        before=before,
        after=subscription.audit_snapshot(),
        reason="unsubscribed through the emailed link",
    )
    return subscription


# The notice of a new version ------------------------------------------------------------


def notify_on_publication(sender, *, provider: Provider, version: MatrixVersion, **kwargs) -> None:
    """``version_published`` receiver: the notice goes out from a task, if anyone listens."""
    if subscribers_active(provider).exists():
        subscribers_notify.delay(version.pk)
