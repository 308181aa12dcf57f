"""Which matrix a page shows: the latest published version, or the draft for its editors."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest

from accounts.access import capabilities
from matrices.models import MatrixVersion, Provider
from matrices.snapshot import snapshot_build


@dataclass
class Source:
    """The snapshot a page renders, and what the template needs to say about it."""

    snapshot: dict
    version: MatrixVersion | None  # None: the draft
    may: dict[str, bool]
    can_see_draft: bool
    published: MatrixVersion | None = None
    unpublished_cells: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @property
    def cache_key(self) -> str:
        """Published versions never change: their renderings are cached by hash."""
        return "" if self.version is None else self.version.snapshot_hash

    @property
    def cache_timeout(self) -> int:
        return 0 if self.version is None else 7 * 24 * 3600

    def offering(self, slug: str) -> dict:
        for offering in self.snapshot["offerings"]:
            if offering["slug"] == slug:
                return offering
        raise Http404("No such offering.")


def page_source(request: HttpRequest, provider: Provider, *, prefer_draft: bool = False) -> Source:
    """Published by default; the draft for those who may see it and ask (``?view=draft``).

    ``prefer_draft`` (the matrix page, where editors edit) shows editors the
    draft unless they ask for ``?view=published``. A provider without a
    published version shows its draft to the role holders who can reach it.
    """
    may = capabilities(request.user, provider)
    can_see_draft = may["draft"]
    published = provider.published
    wanted = request.GET.get("view", "")
    draft = published is None or (
        can_see_draft
        and (wanted == "draft" or (prefer_draft and may["edit"] and wanted != "published"))
    )
    if draft:
        return Source(
            snapshot=snapshot_build(provider),
            version=None,
            may=may,
            can_see_draft=True,
            published=published,
        )
    return Source(
        snapshot=published.snapshot,
        version=published,
        may=may,
        can_see_draft=can_see_draft,
        published=published,
    )
