"""Searching the published duties of every provider a user may see."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.roles import Action
from matrices.models import Provider
from matrices.richtext import plain_text
from matrices.selectors.editions import published_editions


@dataclass
class SearchHit:
    """A published duty that matches a search, with where it stands."""

    provider: Provider
    domain: dict
    offering: dict
    party: dict
    ownership: str
    snippet: SafeString


SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 100


def highlight(text: str, query: str, *, width: int = 220) -> SafeString:
    """``text`` escaped, cut around the first match, every match wrapped in <mark>."""
    match = re.search(re.escape(query), text, flags=re.IGNORECASE)
    start = 0
    if match and len(text) > width:
        start = max(0, match.start() - width // 3)
    excerpt = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    parts = re.split(f"({re.escape(query)})", excerpt, flags=re.IGNORECASE)
    marked = "".join(
        f"<mark>{escape(part)}</mark>" if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - every part is escaped above


def duty_search(query: str, user) -> tuple[list[SearchHit], bool]:
    """Published duties containing ``query``, across the providers ``user`` may see.

    Searches what the public sees: each provider's latest published version.
    Returns (hits, truncated). Two queries, whatever the number of hits.
    """
    query = query.strip()
    if len(query) < SEARCH_MIN_LENGTH:
        return [], False
    needle = query.casefold()
    hits: list[SearchHit] = []
    for edition in published_editions(Provider.objects.restrict(user, Action.VIEW), user):
        snapshot = edition.snapshot
        domains = {d["id"]: d for d in snapshot["domains"]}
        offerings = {o["id"]: o for o in snapshot["offerings"]}
        parties = {p["id"]: p for p in snapshot["parties"]}
        for cell in snapshot["cells"]:
            for duty in cell["duties"]:
                if needle not in duty["text"].casefold():
                    continue
                hits.append(
                    SearchHit(
                        provider=edition.provider,
                        domain=domains[cell["domain"]],
                        offering=offerings[cell["offering"]],
                        party=parties[duty["party"]],
                        ownership=cell["ownership"],
                        snippet=highlight(plain_text(duty["text"]), query),
                    )
                )
                if len(hits) > SEARCH_LIMIT:
                    return hits[:SEARCH_LIMIT], True
    return hits, False


def group_hits(hits: Sequence[SearchHit]) -> dict[Provider, list[SearchHit]]:
    grouped: dict[Provider, list[SearchHit]] = defaultdict(list)
    for hit in hits:
        grouped[hit.provider].append(hit)
    return dict(grouped)
