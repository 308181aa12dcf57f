"""The write path: services validate before saving and write all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from matrices.services import provider_create

pytestmark = pytest.mark.django_db


def test_provider_create_refuses_a_taken_slug(singlestore):
    with pytest.raises(ValidationError, match="slug"):
        provider_create(name="SingleStore 2", slug="singlestore")
