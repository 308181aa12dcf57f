"""Roles on providers: what each allows, grants through groups, and their audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_never_created_in_production(settings):
    from django.core.exceptions import ImproperlyConfigured

    from matrices.demo.accounts import demo_accounts_create

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        demo_accounts_create()


def test_loaddemo_created_one_demo_account_per_role():
    names = set(
        get_user_model()
        .objects.filter(username__startswith="demo-")
        .values_list("username", flat=True)
    )
    assert names == {f"demo-{role.value}" for role in Role}
