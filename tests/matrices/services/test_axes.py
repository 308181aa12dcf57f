"""The write path: services validate before saving and write all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from matrices.services import offering_create

pytestmark = pytest.mark.django_db


def test_offering_create_appends_at_the_end_and_validates_the_kind(acme):
    offering_create(provider=acme, name="Hosted", slug="hosted", kind="managed")
    second = offering_create(provider=acme, name="Own", slug="own", kind="byoc")
    assert second.position == 1
    with pytest.raises(ValidationError, match="kind"):
        offering_create(provider=acme, name="Odd", slug="odd", kind="rented")
