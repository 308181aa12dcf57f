"""The Django admin: every matrix model is registered, and only staff get in."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import state

pytestmark = pytest.mark.django_db

MODELS = list(apps.get_app_config("matrices").get_models())


def test_every_matrix_model_is_registered():
    assert MODELS
    assert [m for m in MODELS if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_superuser_can_open_each_list_and_first_change_page(client, model):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x-Pass-123")
    client.force_login(user)
    meta = model._meta
    assert (
        client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code
        == 200
    )
    first = model.objects.first()
    if first is None:  # e.g. no PDF rendered yet in the demo data
        return
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
    assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:matrices_cell_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_signed_in_user_who_is_not_staff_is_kept_out(client):
    user = get_user_model().objects.create_user("reader", password="x-Pass-123")
    client.force_login(user)
    response = client.get(reverse("admin:matrices_cell_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_admin_cannot_change_matrix_content(client, model):
    """Writes go through the audited services; the admin only reads."""
    user = get_user_model().objects.create_superuser("root2", "root2@example.com", "x-Pass-123")
    client.force_login(user)
    meta = model._meta
    first = model.objects.first()
    assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
    if first is None:
        return
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[first.pk])
    before = state()
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert state() == before
