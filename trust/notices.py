"""What subscribers are emailed: the unsubscribe link every subscription email carries, and
the notice of a new version, sent to each subscriber who may still read the provider.

The unsubscribe link is signed (``django.core.signing``), not stored: it names the
subscription's id, so it needs no column, works for the whole life of the subscription
(RFC 8058 asks that it keep working), and cannot end a later subscription of the same
address (that is a new row, with a new id). It only ever unsubscribes, so it needs no
expiry. Rotating ``SECRET_KEY`` without ``SECRET_KEY_FALLBACKS`` would break the links
already sent.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.access import can, offerings_limit
from accounts.roles import Action
from matrices.diffs import snapshot_diff
from matrices.models import MatrixVersion, Ownership, PartyRole, Provider
from matrices.selectors.editions import snapshot_limited
from trust.mail import subject_render
from trust.models import Subscription, SubscriptionNotice

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "trust.subscription.unsubscribe"
# A notice lists at most this many cells per section; the diff page has the rest.
NOTICE_MAX_CELLS = 40


# The unsubscribe link -----------------------------------------------------------------


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_pk(token: str) -> int | None:
    """The id of the subscription ``token`` unsubscribes, or None for a forged one."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


def unsubscribe_url(subscription: Subscription, base_url: str = "") -> str:
    path = reverse("trust:unsubscribe", args=[unsubscribe_token(subscription)])
    return urljoin(base_url or settings.SITE_URL, path)


def unsubscribe_headers(subscription: Subscription, base_url: str = "") -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: mail clients show an "Unsubscribe" button that POSTs."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription, base_url)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# What changed ---------------------------------------------------------------------------

# How much of a control falls to the customer: a move up this scale moves work to them.
CUSTOMER_SHARE = {Ownership.CUSTOMER: 2, Ownership.SHARED: 1}


@dataclass
class CellNote:
    """One changed cell of an offering, as a notice says it."""

    domain: str
    change: str  # "added", "removed", "changed"
    ownership_before: str = ""  # labels; both empty when the ownership stayed
    ownership_after: str = ""
    new_customer_duties: list[str] = field(default_factory=list)
    reworded: list[str] = field(default_factory=list)  # parties whose duties changed


@dataclass
class OfferingNotes:
    offering: str
    cells: list[CellNote] = field(default_factory=list)


@dataclass
class VersionChanges:
    """What a version changed against the one before, per offering: first what moves to the
    customer (a cell whose ownership moves towards them, or a duty of theirs that is new),
    then the rest."""

    to_customer: list[OfferingNotes]
    other: list[OfferingNotes]
    axes: list[str]
    left_out: int = 0  # cells not listed (over NOTICE_MAX_CELLS per section)

    @property
    def is_empty(self) -> bool:
        return not (self.to_customer or self.other or self.axes)


def _customer_duties(cell: dict | None, customers: set[int]) -> list[str]:
    return [
        duty["text"]
        for duty in (cell or {}).get("duties", [])
        if duty["party"] in customers and not duty["not_applicable"]
    ]


def _grouped(notes: list[tuple[str, CellNote]], limit: int) -> tuple[list[OfferingNotes], int]:
    groups: dict[str, OfferingNotes] = {}
    for offering, note in notes[:limit]:
        groups.setdefault(offering, OfferingNotes(offering)).cells.append(note)
    return list(groups.values()), max(0, len(notes) - limit)


def _moves_to_customer(before: str, after: str) -> bool:
    return CUSTOMER_SHARE.get(after, 0) > CUSTOMER_SHARE.get(before, 0)


def version_changes(old: dict, new: dict) -> VersionChanges:
    """What the snapshot ``new`` changed against ``old``, as ``matrices.diffs`` finds it."""
    diff = snapshot_diff(old, new)
    customers = {
        p["id"] for p in old["parties"] + new["parties"] if p["role"] == PartyRole.CUSTOMER
    }
    # The diff names cells by domain slug and offering name (the newer ones, as here).
    slugs = {d["id"]: d["slug"] for d in old["domains"] + new["domains"]}
    names = {o["id"]: o["name"] for o in old["offerings"] + new["offerings"]}
    old_cells = {(slugs[c["domain"]], names[c["offering"]]): c for c in old["cells"]}
    new_cells = {(slugs[c["domain"]], names[c["offering"]]): c for c in new["cells"]}
    moving, other = [], []
    for change in diff.cells:
        key = (change.domain_slug, change.offering)
        before, after = old_cells.get(key), new_cells.get(key)
        had = _customer_duties(before, customers)
        note = CellNote(
            domain=change.domain,
            change=change.change,
            new_customer_duties=[t for t in _customer_duties(after, customers) if t not in had],
            reworded=[t.party for t in change.texts],
        )
        if change.ownership_changed:
            note.ownership_before = change.ownership_before_label
            note.ownership_after = change.ownership_after_label
        gains = _moves_to_customer(change.ownership_before, change.ownership_after)
        if after is not None and (gains or note.new_customer_duties):
            moving.append((change.offering, note))
        else:
            other.append((change.offering, note))
    to_customer, left_moving = _grouped(moving, NOTICE_MAX_CELLS)
    rest, left_other = _grouped(other, NOTICE_MAX_CELLS)
    axes = [
        f"{a.kind.capitalize()} {a.name}: {a.change}"
        + (f" (was {a.before['name']})" if a.change == "changed" and "name" in a.fields else "")
        for a in diff.axes
    ]
    return VersionChanges(to_customer, rest, axes, left_out=left_moving + left_other)


def version_notice_context(
    version: MatrixVersion, *, offerings: frozenset[int] | None = None
) -> dict:
    """The context of the publication notice (without the subscriber's own links), for a
    reader of every offering, or (``offerings``: their ids) of those only: a reader whose
    grant names some offerings hears nothing of the others."""
    provider = version.provider
    previous = (
        MatrixVersion.objects.filter(provider=provider, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    snapshot = version.snapshot
    before = previous.snapshot if previous else None
    if offerings is not None:
        snapshot = snapshot_limited(snapshot, offerings)
        before = snapshot_limited(before, offerings) if before else None
    site = settings.SITE_URL
    context = {
        "provider": provider,
        "version": version,
        "previous": previous,
        "changes": version_changes(before, snapshot) if before else None,
        "offerings": len(snapshot["offerings"]),
        "domains": len(snapshot["domains"]),
        "version_url": urljoin(site, version.get_absolute_url()),
        "diff_url": "",
    }
    if previous is not None:
        path = reverse(
            "matrices:version_diff", args=[provider.slug, previous.number, version.number]
        )
        context["diff_url"] = urljoin(site, path)
    return context


# Sending ------------------------------------------------------------------------------


def may_still_read(subscription: Subscription) -> bool:
    """Whether the subscriber may read the provider now: anyone for a public one, else the
    account the subscription is tied to (none: nobody)."""
    return can(subscription.user or AnonymousUser(), subscription.provider, Action.VIEW)


def subscribers_active(provider: Provider) -> QuerySet[Subscription]:
    """The confirmed, still subscribed subscriptions of ``provider`` (whether or not they may
    still read it: ``may_still_read`` says)."""
    return Subscription.objects.filter(
        provider=provider, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )


def _notice(subscription: Subscription, context: dict) -> EmailMultiAlternatives:
    context = {**context, "unsubscribe_url": unsubscribe_url(subscription)}
    message = EmailMultiAlternatives(
        subject_render("version_published", context),
        render_to_string("trust/email/version_published_message.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers=unsubscribe_headers(subscription),
    )
    message.attach_alternative(
        render_to_string("trust/email/version_published_message.html", context), "text/html"
    )
    return message


def subscribers_notify(*, version_id: int) -> int:
    """Email the notice of version ``version_id`` to each active subscriber of its provider
    who may still read it, one message each; returns how many were sent.

    A subscriber who may no longer read a gated provider is skipped (its changes are
    private), and one limited to some offerings hears of those only; a failed delivery is
    logged and the others still go. Each notice sent is recorded, so running the task again
    emails only those not told yet.
    """
    version = MatrixVersion.objects.select_related("provider").filter(pk=version_id).first()
    if version is None:  # a test's publication, rolled back before a worker saw it
        logger.warning("Version %s is gone: no notice sent.", version_id)
        return 0
    contexts: dict[frozenset[int] | None, dict] = {}  # by the offerings a reader may read
    sent = 0
    told = set(
        SubscriptionNotice.objects.filter(version=version).values_list("subscription", flat=True)
    )
    for subscription in subscribers_active(version.provider).select_related("user", "provider"):
        if subscription.pk in told or not may_still_read(subscription):
            continue
        limit = offerings_limit(subscription.user, version.provider)
        if limit not in contexts:
            contexts[limit] = version_notice_context(version, offerings=limit)
        try:
            _notice(subscription, contexts[limit]).send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning(
                "Notice of version %s to subscription %s not sent: %s",
                version.pk,
                subscription.pk,
                type(exc).__name__,
            )
            continue
        SubscriptionNotice.objects.get_or_create(subscription=subscription, version=version)
        sent += 1
    return sent
