"""The Django admin shows the trust center's records and changes none of them; it never
shows a webhook's secret or a link's digest."""

from __future__ import annotations

import pytest

from trust.models import AccessRequest, Webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, users):
    client.force_login(users["superuser"])
    return client


def test_the_admin_shows_a_webhook_without_its_secret(staff, singlestore):
    hook = Webhook.objects.create(
        provider=singlestore, url="https://hooks.example.com/srm", secret="s3cr3t-value-xyz"
    )
    page = staff.get(f"/admin/trust/webhook/{hook.pk}/change/")
    assert page.status_code == 200
    assert "hooks.example.com" in page.content.decode()
    assert "s3cr3t-value-xyz" not in page.content.decode()


def test_the_admin_shows_a_request_without_its_link_digest(staff, singlestore):
    request = AccessRequest.objects.create(
        provider=singlestore,
        name="Dana",
        email="dana@bank.example",
        company="Bank",
        purpose="review",
        digest="d" * 64,
    )
    page = staff.get(f"/admin/trust/accessrequest/{request.pk}/change/")
    assert page.status_code == 200
    assert "d" * 64 not in page.content.decode()


@pytest.mark.parametrize(
    "url", ["/admin/trust/webhook/add/", "/admin/trust/accessgrant/add/", "/admin/trust/nda/add/"]
)
def test_nothing_is_added_from_the_admin(staff, url):
    assert staff.get(url).status_code == 403


def test_changes_and_deletes_are_refused(staff, singlestore):
    hook = Webhook.objects.create(provider=singlestore, url="https://a.example/h", secret="x")
    response = staff.post(
        f"/admin/trust/webhook/{hook.pk}/change/", {"url": "https://evil.example/h"}
    )
    assert response.status_code == 403
    assert staff.post(f"/admin/trust/webhook/{hook.pk}/delete/", {"post": "yes"}).status_code == 403
    hook.refresh_from_db()
    assert hook.url == "https://a.example/h"
