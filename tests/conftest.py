"""Shared fixtures: the demo matrices are loaded once per test database."""

from __future__ import annotations

import pytest

from matrices.demo.loader import demo_load
from matrices.models import Provider


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Loaded through the service layer, exactly as `manage.py loaddemo` does.
    with django_db_blocker.unblock():
        demo_load()


@pytest.fixture
def singlestore(db) -> Provider:
    return Provider.objects.get(slug="singlestore")


@pytest.fixture
def clickhouse(db) -> Provider:
    return Provider.objects.get(slug="clickhouse")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
