"""Which state of a provider's matrix a caller sees: a published version, or the draft.

The one rule behind every page, export, API read, PDF, search result and home
card: the draft (the live rows, unpublished) is read only by those who
``sees_draft`` (the provider's editors, approvers, auditors and admins, and
superusers); everyone else who may see the provider reads published versions.
A caller names what it wants as ``which``: a version number, ``"latest"`` or
``"draft"``; an empty ``which`` takes the default below. Refusals are raised
with one message each, so every path answers them alike (404 for a version
that does not exist or nothing published, 403 for the draft).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404

from accounts.access import can, offerings_limit, sees_draft
from accounts.roles import Action
from matrices.models import MatrixVersion, Offering, Provider
from matrices.snapshot import snapshot_build, snapshot_hash

DRAFT_REFUSED = "Only the provider's editors, approvers and auditors see the draft."
NOTHING_PUBLISHED = "Nothing is published yet."
WHICH_HELP = 'A version number, "latest", or "draft" (the draft\'s readers only).'


class Edition:
    """One readable state of a provider's matrix, and what is needed to say which.

    A version's snapshot (the whole matrix, large) is read from the database only
    when something asks for it: a page or export served from a cache never does.
    """

    def __init__(
        self,
        provider: Provider,
        version: MatrixVersion | None,
        snapshot_hash: str,
        draft: dict[str, Any] | None = None,
    ) -> None:
        """``draft``: the draft's snapshot, or a version's as a limited reader sees it."""
        self.provider, self.version, self.snapshot_hash = provider, version, snapshot_hash
        self._draft = draft

    def __repr__(self) -> str:
        return f"<Edition {self.provider.slug} {self.which}>"

    @cached_property
    def snapshot(self) -> dict[str, Any]:
        return self._draft if self._draft is not None else self.version.snapshot

    @property
    def is_limited(self) -> bool:
        """A version as a reader limited to some of its offerings sees it (its own hash)."""
        return self.version is not None and self._draft is not None

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @property
    def number(self) -> int | None:
        return None if self.version is None else self.version.number

    @property
    def published_at(self) -> datetime | None:
        return None if self.version is None else self.version.published_at

    @property
    def latest(self) -> MatrixVersion | None:
        """The provider's latest published version (the one the public reads)."""
        return self.provider.published

    @property
    def is_latest(self) -> bool:
        return self.version is not None and self.version.pk == self.provider.published_id

    @property
    def which(self) -> str:
        """How a URL names this edition (``?version=``): "draft" or the version number."""
        return "draft" if self.version is None else str(self.version.number)

    @property
    def label(self) -> str:
        if self.version is None:
            return "the draft"
        return f"version {self.version.number}" + (" (latest)" if self.is_latest else "")

    @property
    def offerings(self) -> list[dict[str, Any]]:
        return self.snapshot["offerings"]

    def offering(self, slug: str) -> dict[str, Any]:
        """The offering ``slug`` of this edition, or 404 (a draft-only offering is not in a
        version)."""
        for offering in self.snapshot["offerings"]:
            if offering["slug"] == slug:
                return offering
        raise Http404(f"No offering {slug!r} in {self.label}.")


def default_which(user, provider: Provider, *, editing: bool = False) -> str:
    """What a caller sees when it names no edition.

    The latest version; the draft where nothing is published yet (for its
    readers: others see the provider only once published), and on the pages
    where editors edit (``editing``) for those who may edit.
    """
    if provider.published_id is None:
        if not sees_draft(user, provider):
            raise Http404(NOTHING_PUBLISHED)
        return "draft"
    if editing and can(user, provider, Action.EDIT):
        return "draft"
    return "latest"


def edition_for(user, provider: Provider, which: str = "", *, editing: bool = False) -> Edition:
    """The edition ``which`` names, if ``user`` may read it; ``which=""`` for the default.

    Raises Http404 for a version that does not exist (or nothing published)
    and PermissionDenied for the draft asked by someone who may not read it.
    """
    which = which or default_which(user, provider, editing=editing)
    if which == "draft":
        if not sees_draft(user, provider):
            raise PermissionDenied(DRAFT_REFUSED)
        snapshot = snapshot_build(provider)
        return Edition(provider, None, snapshot_hash(snapshot), draft=snapshot)
    # The snapshot is read when asked for (Edition.snapshot), not to say which version.
    versions = MatrixVersion.objects.defer("snapshot")
    if which == "latest":
        version = versions.filter(pk=provider.published_id).first()
        if version is None:
            raise Http404(NOTHING_PUBLISHED)
    elif which.isascii() and which.isdigit():  # not "²": str.isdigit() takes it, int() does not
        version = versions.filter(provider=provider, number=int(which)).first()
        if version is None:
            raise Http404(f"{provider.name} has no version {int(which)}.")
    else:
        raise Http404(f"No version {which!r}: use a number, 'latest' or 'draft'.")
    return _as_seen(user, Edition(provider, version, version.snapshot_hash))


def snapshot_limited(snapshot: dict[str, Any], offering_ids: frozenset[int]) -> dict[str, Any]:
    """``snapshot`` with only the offerings ``offering_ids`` and their cells."""
    return {
        **snapshot,
        "offerings": [o for o in snapshot["offerings"] if o["id"] in offering_ids],
        "cells": [c for c in snapshot["cells"] if c["offering"] in offering_ids],
    }


def _as_seen(user, edition: Edition) -> Edition:
    """A published ``edition`` as ``user`` may read it: whole, or only the offerings an
    outside reader's grant names (then it has its own snapshot and hash, so nothing kept
    by the whole version's hash, a cached page or a PDF, is served for it)."""
    limit = offerings_limit(user, edition.provider)
    if limit is None or edition.version is None:
        return edition
    snapshot = snapshot_limited(edition.version.snapshot, limit)
    return Edition(edition.provider, edition.version, snapshot_hash(snapshot), draft=snapshot)


def published_editions(providers: QuerySet[Provider], user=None) -> list[Edition]:
    """The latest published edition of each of ``providers`` (already scoped to ``user``),
    as ``user`` may read it, by provider name; one query (and one more per limited one)."""
    versions = MatrixVersion.objects.filter(
        pk__in=providers.filter(published__isnull=False).values("published")
    ).select_related("provider")
    editions = []
    for version in sorted(versions, key=lambda v: v.provider.name.casefold()):
        version.provider.published = version  # it is: no query to ask again
        editions.append(_as_seen(user, Edition(version.provider, version, version.snapshot_hash)))
    return editions


def offerings_seen(user, providers: Iterable[Provider]) -> dict[int, list[dict[str, Any]]]:
    """The offerings of the edition ``user`` sees by default of each provider, in order (none
    where they may see no edition yet), by provider id: the tabs of a provider's pages and
    the home page's "offers" filter. Two queries at most; no whole snapshot is loaded."""
    providers = list(providers)
    seen: dict[int, list[dict[str, Any]]] = {provider.pk: [] for provider in providers}
    drafts, published = [], []
    for provider in providers:
        try:
            which = default_which(user, provider)
        except Http404:
            continue
        (drafts if which == "draft" else published).append(provider.pk)
    if drafts:
        for offering in Offering.objects.filter(provider__in=drafts).order_by("position", "id"):
            seen[offering.provider_id].append(
                {
                    "id": offering.pk,
                    "name": offering.name,
                    "slug": offering.slug,
                    "kind": offering.kind,
                    "service_model": offering.service_model,
                }
            )
    if published:
        rows = Provider.objects.filter(pk__in=published).values(
            "pk", seen_offerings=F("published__snapshot__offerings")
        )
        by_pk = {provider.pk: provider for provider in providers}
        for row in rows:
            limit = offerings_limit(user, by_pk[row["pk"]])
            seen[row["pk"]] = [
                offering
                for offering in row["seen_offerings"] or []
                if limit is None or offering["id"] in limit
            ]
    return seen
