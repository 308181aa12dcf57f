"""Published versions: four-eyes approval bound to a hash, immutability, drafts, diffs."""

from __future__ import annotations

import pytest

from matrices.models import Provider
from matrices.snapshot import snapshot_build, snapshot_hash

pytestmark = pytest.mark.django_db


P = "singlestore"


def test_snapshot_hash_is_stable_for_the_same_content():
    provider = Provider.objects.get(slug=P)
    assert snapshot_hash(snapshot_build(provider)) == provider.published.snapshot_hash
