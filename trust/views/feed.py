"""The Atom feed of a public provider's published versions.

Feed readers come without a session, so the feed exists only for a provider anyone may
read (public and published); for any other it is 404, whoever asks: a gated provider's
versions, even their numbers and summaries, never leave through it.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from accounts.roles import Visibility
from matrices.models import MatrixVersion, Provider

FEED_ENTRIES = 50


class VersionsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, provider: str) -> Provider:
        found = Provider.objects.filter(
            slug=provider, visibility=Visibility.PUBLIC, published__isnull=False
        ).first()
        if found is None:
            raise Http404("No public provider here.")
        return found

    def title(self, obj: Provider) -> str:
        return f"{obj.name}: shared-responsibility matrix versions"

    def subtitle(self, obj: Provider) -> str:
        return obj.summary or f"Each version {obj.name} publishes of its matrix."

    def link(self, obj: Provider) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Provider) -> str:
        return reverse("trust:feed", args=[obj.slug])

    def author_name(self, obj: Provider) -> str:
        return obj.name

    def items(self, obj: Provider) -> QuerySet[MatrixVersion]:
        return (
            MatrixVersion.objects.filter(provider=obj)
            .defer("snapshot")
            .select_related("provider")
            .order_by("-number")[:FEED_ENTRIES]
        )

    def item_title(self, item: MatrixVersion) -> str:
        return f"Version {item.number}"

    def item_description(self, item: MatrixVersion) -> str:
        return item.summary

    def item_link(self, item: MatrixVersion) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: MatrixVersion) -> datetime:
        return item.published_at

    def item_updateddate(self, item: MatrixVersion) -> datetime:
        return item.published_at  # a version never changes

    def item_guid(self, item: MatrixVersion) -> str:
        # A tag URI (RFC 4151): stable whatever the page's address becomes.
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return (
            f"tag:{host},{item.published_at:%Y-%m-%d}:{item.provider.slug}/versions/{item.number}"
        )

    item_guid_is_permalink = False


versions_feed = VersionsFeed()
