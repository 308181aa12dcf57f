"""Fixtures for the long-format exchange tests: the demo matrices as snapshots."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_SNAPSHOTS


@pytest.fixture
def demo_snapshots(db) -> dict[str, dict]:
    """The demo matrices (slug -> snapshot), filled once when the test database is set up.

    Asks for ``db`` so the session set-up (which fills them) runs first even in a
    file of otherwise database-free tests.
    """
    assert DEMO_SNAPSHOTS, "the demo data was not loaded"
    return DEMO_SNAPSHOTS
