"""Reads of the trust center: which providers an outsider may see it for, what its page
shows a given visitor, and the managers' queue and readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse

from accounts.access import can, offerings_limit, roles_awaiting_agreement
from accounts.roles import Action, Visibility
from matrices.models import MatrixVersion, Offering, PdfVariant, Provider
from matrices.richtext import render_markdown
from trust.centers import trust_center_of
from trust.models import AccessGrant, AccessRequest, TrustCenter


def trust_provider_for(user, slug: str) -> Provider:
    """The provider whose trust-center page ``user`` may see, or 404.

    Its page is shown when its trust center is enabled (whatever the provider's
    visibility), or to whoever may already read the provider; to anyone else the
    provider does not exist.
    """
    provider = (
        Provider.objects.filter(slug=slug, is_template=False)
        .select_related("trust_center", "published")
        .first()
    )
    if provider is None or not (trust_enabled(provider) or can(user, provider, Action.VIEW)):
        raise Http404("No such trust center.")
    return provider


def trust_enabled(provider: Provider) -> bool:
    try:
        return provider.trust_center.enabled
    except TrustCenter.DoesNotExist:
        return False


def trust_listed(user) -> QuerySet[Provider]:
    """The providers of the trust-center index: enabled trust centers, and what ``user``
    may read anyway."""
    readable = Provider.objects.restrict(user, Action.VIEW).values("pk")
    return (
        Provider.objects.filter(Q(trust_center__enabled=True) | Q(pk__in=readable))
        .filter(is_template=False)
        .select_related("published", "trust_center")
        .order_by("name")
    )


def published_offerings(provider: Provider) -> list[dict[str, Any]]:
    """The offerings of the provider's latest published version, in order (no snapshot
    loaded whole)."""
    if provider.published_id is None:
        return []
    row = Provider.objects.filter(pk=provider.pk).values(
        published_offerings=F("published__snapshot__offerings")
    )
    return row[0]["published_offerings"] or []


def offerings_to_grant(provider: Provider) -> QuerySet[Offering]:
    """The offerings an approver may limit access to: those published now."""
    slugs = [offering["slug"] for offering in published_offerings(provider)]
    return Offering.objects.filter(provider=provider, slug__in=slugs).order_by("position", "id")


def live_grant(provider: Provider, user) -> AccessGrant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        AccessGrant.objects.live()
        .filter(provider=provider, user=user)
        .prefetch_related("offerings")
        .first()
    )


def waits_for_nda(provider: Provider, user) -> bool:
    """Whether ``user`` holds a role on ``provider`` that counts once they accept its NDA."""
    return roles_awaiting_agreement(user).filter(content_object=provider).exists()


@dataclass
class TrustDocument:
    label: str
    url: str


@dataclass
class TrustOffering:
    name: str
    slug: str
    open: bool
    documents: list[TrustDocument] = field(default_factory=list)


def _pdf_url(provider: Provider, version: int, variant: str, offering: str = "") -> str:
    query = {"variant": variant, "version": version}
    if offering:
        query["offering"] = offering
    return reverse("matrices:pdf_start", args=[provider.slug]) + "?" + urlencode(query)


@dataclass
class TrustPage:
    """What the trust-center page shows one visitor."""

    provider: Provider
    center: TrustCenter
    introduction_html: str
    version: MatrixVersion | None
    can_read: bool
    matrix: list[TrustDocument]
    offerings: list[TrustOffering]
    grant: AccessGrant | None
    nda_waiting: bool
    request_pending: AccessRequest | None

    @property
    def may_request(self) -> bool:
        return self.center.enabled and not self.can_read and not self.nda_waiting

    @property
    def public(self) -> bool:
        return self.provider.visibility == Visibility.PUBLIC

    @property
    def subscribe_url(self) -> str:
        return reverse("trust:subscribe", args=[self.provider.slug])

    @property
    def nda_url(self) -> str:
        return reverse("trust:nda", args=[self.provider.slug])


def trust_page(user, provider: Provider) -> TrustPage:
    """The trust-center page of ``provider`` for ``user`` (who may see it: see
    ``trust_provider_for``): its published documents, and which of them ``user`` may open."""
    center = trust_center_of(provider)
    version = provider.published
    can_read = can(user, provider, Action.VIEW)
    grant = live_grant(provider, user)
    limit = offerings_limit(user, provider) if can_read else None  # the access rules' word
    matrix, offerings = [], []
    if version is not None:
        if can_read and limit is None:
            matrix.append(
                TrustDocument(
                    "Whole matrix (PDF)", _pdf_url(provider, version.number, PdfVariant.MATRIX)
                )
            )
        for offering in published_offerings(provider):
            slug = offering["slug"]
            is_open = can_read and (limit is None or offering["id"] in limit)
            documents = []
            if is_open:
                documents = [
                    TrustDocument(
                        "Matrix (PDF)",
                        _pdf_url(provider, version.number, PdfVariant.OFFERING, slug),
                    ),
                    TrustDocument(
                        "Customer checklist (PDF)",
                        _pdf_url(provider, version.number, PdfVariant.CHECKLIST, slug),
                    ),
                ]
            offerings.append(TrustOffering(offering["name"], slug, is_open, documents))
    pending = None
    if getattr(user, "is_authenticated", False) and not can_read:
        pending = AccessRequest.objects.filter(
            provider=provider, user=user, status=AccessRequest.Status.PENDING
        ).first()
    return TrustPage(
        provider=provider,
        center=center,
        introduction_html=render_markdown(center.introduction) if center.introduction else "",
        version=version,
        can_read=can_read,
        matrix=matrix,
        offerings=offerings,
        grant=grant,
        nda_waiting=waits_for_nda(provider, user),
        request_pending=pending,
    )


# The managers' side ---------------------------------------------------------------------


def requests_queue(provider: Provider) -> QuerySet[AccessRequest]:
    """The provider's confirmed requests: those waiting for a decision first (oldest
    first), then the decided ones (latest first)."""
    waiting = AccessRequest.Status.PENDING
    return (
        AccessRequest.objects.filter(provider=provider)
        .exclude(status=AccessRequest.Status.UNCONFIRMED)
        .select_related("decided_by", "user")
        .annotate(
            waiting=Case(
                When(status=waiting, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("waiting", "-decided_at", "created_at")
    )


def requests_of(provider: Provider, status: str = "") -> QuerySet[AccessRequest]:
    """Every request of the provider (one status, if given), latest first."""
    found = AccessRequest.objects.filter(provider=provider).select_related("decided_by")
    return found.filter(status=status) if status else found


def requests_unconfirmed(provider: Provider) -> int:
    return AccessRequest.objects.filter(
        provider=provider, status=AccessRequest.Status.UNCONFIRMED
    ).count()


def grants_of(provider: Provider) -> QuerySet[AccessGrant]:
    return (
        AccessGrant.objects.filter(provider=provider)
        .select_related("user", "granted_by", "ended_by", "request")
        .prefetch_related("offerings")
    )


def grants_split(provider: Provider) -> tuple[list[AccessGrant], list[AccessGrant]]:
    """(live grants, soonest end first; ended or run-out ones, latest first)."""
    grants = list(grants_of(provider))
    live = sorted((g for g in grants if g.is_live), key=lambda g: g.expires_at)
    ended = [g for g in grants if g not in live]
    ended.sort(key=lambda g: g.ended_at or g.expires_at, reverse=True)
    return live, ended
