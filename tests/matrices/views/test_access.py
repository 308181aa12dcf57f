"""Roles on providers: what each allows, grants through groups, and their audit trail."""

from __future__ import annotations

import pytest

from audit.models import AuditRecord
from matrices.models import Provider

pytestmark = pytest.mark.django_db


def test_a_provider_admin_sets_the_visibility_and_it_is_audited(as_user, users):
    provider = Provider.objects.get(slug="singlestore")
    response = as_user("admin").post(
        "/providers/singlestore/visibility/",
        {"visibility": "private", "version": provider.version, "reason": "under NDA"},
    )
    assert response.status_code == 302
    assert Provider.objects.get(pk=provider.pk).visibility == "private"
    record = AuditRecord.objects.filter(object_type="provider", action="update").latest("seq")
    assert record.changed_fields == ["visibility"]
    assert record.reason == "under NDA"


def test_an_editor_cannot_change_the_visibility(as_user):
    provider = Provider.objects.get(slug="singlestore")
    response = as_user("editor").post(
        "/providers/singlestore/visibility/", {"visibility": "private", "version": provider.version}
    )
    assert response.status_code == 403
    assert Provider.objects.get(pk=provider.pk).visibility == "public"
