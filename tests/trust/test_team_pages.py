"""The trust center's pages share one frame: the team's pages one header (sections, the
current one marked, the warning while the trust center is off) and one breadcrumb trail;
the public page links to what each visitor may use next."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ProviderUserRole
from tests.trust.access_kit import private_with_trust_center
from trust.centers import trust_center_update
from trust.grants import grant_create
from trust.models import Webhook

pytestmark = pytest.mark.django_db

TEAM = "/providers/singlestore/trust/"
# Each team page and the section its header marks as the current one.
SECTIONS = {
    "": ("settings", "Settings"),
    "requests/": ("requests", "Requests"),
    "readers/": ("readers", "Readers"),
    "nda/": ("nda", "NDA"),
    "analytics/": ("analytics", "Analytics"),
    "subscribers/": ("subscribers", "Subscribers"),
    "webhooks/": ("webhooks", "Webhooks"),
    "webhooks/{webhook}/": ("webhooks", "Webhooks"),
}
OFF = "The trust center is off"


@pytest.fixture
def webhook(singlestore):
    return Webhook.objects.create(
        provider=singlestore, url="https://hooks.example.com/srm", secret="s" * 40, events=["ping"]
    )


def trust_nav(page: str) -> str:
    found = re.search(r'<nav class="trust-nav".*?</nav>', page, re.S)
    assert found, "no trust-center sections on the page"
    return found.group(0)


@pytest.mark.parametrize("path", SECTIONS)
def test_every_team_page_marks_its_section_and_warns_while_the_trust_center_is_off(
    as_user, webhook, path
):
    page = as_user("admin").get(TEAM + path.format(webhook=webhook.pk)).content.decode()
    nav = trust_nav(page)
    current = re.findall(r'<a href="([^"]+)" aria-current="(?:page|location)">([^<]+)</a>', nav)
    assert [label for _, label in current] == [SECTIONS[path][1]]
    assert page.count(OFF) == 1
    assert '<nav class="breadcrumbs container"' in page
    assert re.search(r'<a href="/providers/singlestore/">SingleStore</a>', page)


@pytest.mark.parametrize("path", SECTIONS)
def test_no_team_page_warns_once_the_trust_center_is_on(as_user, webhook, singlestore, path):
    trust_center_update(actor=None, provider=singlestore, enabled=True)
    page = as_user("admin").get(TEAM + path.format(webhook=webhook.pk)).content.decode()
    assert OFF not in page


def test_the_sections_link_to_every_team_page_by_name(as_user):
    nav = trust_nav(as_user("admin").get(TEAM).content.decode())
    links = re.findall(r'href="([^"]+)"', nav)
    assert links == [
        TEAM,
        f"{TEAM}requests/",
        f"{TEAM}readers/",
        f"{TEAM}nda/",
        f"{TEAM}analytics/",
        f"{TEAM}subscribers/",
        f"{TEAM}webhooks/",
        "/trust/singlestore/",
    ]


def test_a_trust_manager_is_not_offered_the_webhooks_admins_keep(as_user):
    nav = trust_nav(as_user("trust_manager").get(f"{TEAM}requests/").content.decode())
    assert "webhooks/" not in nav


def test_a_webhooks_trail_leads_back_to_the_list(as_user, webhook):
    page = as_user("admin").get(f"{TEAM}webhooks/{webhook.pk}/").content.decode()
    trail = re.search(r'<nav class="breadcrumbs.*?</nav>', page, re.S).group(0)
    assert f'href="{TEAM}webhooks/"' in trail
    assert f'aria-current="page">Webhook #{webhook.pk}</li>' in trail


def test_a_public_providers_page_links_to_subscribe_and_its_feed(client, singlestore):
    trust_center_update(actor=None, provider=singlestore, enabled=True)
    page = client.get("/trust/singlestore/").content.decode()
    assert 'href="/trust/singlestore/subscribe/"' in page
    assert 'href="/trust/singlestore/feed.atom"' in page


def test_a_reader_of_a_gated_provider_may_subscribe_but_is_offered_no_feed(client, users):
    provider = private_with_trust_center()
    reader = users["outsider"]
    grant_create(
        actor=None, provider=provider, user=reader, expires_at=timezone.now() + timedelta(days=5)
    )
    ProviderUserRole.objects.filter(user=reader).update(needs_agreement=False)
    client.force_login(reader)
    page = client.get("/trust/singlestore/").content.decode()
    assert 'href="/trust/singlestore/subscribe/"' in page
    assert "feed.atom" not in page


def test_the_subscribe_page_leads_back_to_the_trust_center(client, singlestore):
    page = client.get("/trust/singlestore/subscribe/").content.decode()
    trail = re.search(r'<nav class="breadcrumbs.*?</nav>', page, re.S).group(0)
    assert 'href="/trust/singlestore/"' in trail
    assert 'href="/trust/singlestore/feed.atom"' in page
