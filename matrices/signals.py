"""What the matrices app tells the apps above it, without importing them.

- ``version_published``: a version was published, sent once its transaction has
  committed (``provider``, ``version``). The trust center emails subscribers and
  calls webhooks from it.
- ``content_read``: someone read a provider's published content (``request``,
  ``user``, ``provider``, ``version`` (a MatrixVersion or None for the draft),
  ``document`` (what: "matrix", "offering:<slug>", "pdf:<variant>", "export:<fmt>",
  "api"), ``kind`` ("view" or "download")). The trust center records it for the
  provider's analytics.
"""

from django.dispatch import Signal

version_published = Signal()
content_read = Signal()
