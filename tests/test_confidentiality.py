"""Nothing from a draft reaches those who may not read it: a canary crawl.

Draft-only content carrying one canary word is written as an editor would: a new
offering, party and domain with a duty, a duty changed in a published cell, a
published offering renamed, and a second provider that was never published.
Then, for each kind of reader, the test follows every link reachable from the
home page, the two providers' pages and their trust-center pages (pages, htmx
partials, exports, PDFs, audit logs, the trust center's team pages) and calls
every GET operation of the API with real identifiers.
The canary must appear for exactly the readers who may read the draft (the
provider's editors, approvers, auditors and admins, and superusers), and
nowhere for anyone else: a trust manager, or an outside reader given access
through the trust center, reads the published versions only.

Only the two providers holding canary content are crawled (the others hold
none), and not the Django admin (site administrators only, who read drafts).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from accounts.roles import Role
from accounts.services import role_set
from matrices.models import Cell, ControlDomain, Offering, Party, PdfDocument, Provider
from matrices.services import (
    DutyInput,
    axis_update,
    cell_set,
    domain_create,
    offering_create,
    party_create,
    provider_create,
)
from tests.factories import customer_duty_set
from tests.matrices.pdf.pdftools import pdf_text
from trust.centers import trust_center_update
from trust.grants import grant_create
from trust.models import AccessGrant, Webhook

pytestmark = pytest.mark.django_db

CANARY = "quokkacanary"
UNRELEASED = "unreleased-labs"
PROVIDERS = ("singlestore", UNRELEASED)

# Reader -> may they read the drafts (hold a draft-reading role on both providers)?
READERS = {
    "anonymous": False,
    "outsider": False,
    "viewer": False,
    "trust_manager": False,
    "outside_reader": False,  # given access to SingleStore through the trust center
    "auditor": True,
    "editor": True,
    "approver": True,
    "admin": True,
    "superuser": True,
}

# Paths never followed: other providers and their trust centers (no canary there), the
# admin (superusers only), signing out (it would end the crawl's session), static files and
# the API's docs shell.
SKIP = re.compile(
    r"^/(static/|admin/|accounts/logout/|api/docs/|api/schema/)"
    r"|^/providers/(?!(singlestore|unreleased-labs)/)"
    r"|^/trust/(?!$|confirm/|subscriptions/|(singlestore|unreleased-labs)/)"
)
MAX_VARIANTS = 40  # distinct query strings followed per path, so log pages end
MAX_PAGES = 3000


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "hx-get", "src"):
                self.links.append(value)


def text_of(response) -> str:
    """What a reader gets out of a response, as text: PDFs and workbooks read back."""
    body = (
        b"".join(response.streaming_content)
        if response.streaming
        else getattr(response, "content", b"")
    )
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "".join(pdf_text(body).split())
    if body[:2] == b"PK":  # an XLSX workbook: every XML part of it
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            return " ".join(workbook.read(name).decode() for name in workbook.namelist())
    return body.decode("utf-8", errors="replace")


def links_in(url: str, response) -> list[str]:
    kind = response.get("Content-Type", "")
    found = []
    if response.status_code in (301, 302, 303, 307, 308):
        found.append(response["Location"])
    if kind.startswith("text/html"):
        parser = _Links()
        parser.feed(response.content.decode())
        found += parser.links
    return [urljoin(url, link.replace("&amp;", "&")) for link in found]


def crawl(client, seeds: list[str], *, until_canary: bool) -> tuple[dict[str, int], list[str]]:
    """Follow every local link from ``seeds``; returns {url: status} and the URLs whose
    response holds the canary (stops at the first one when ``until_canary``)."""
    seen: dict[str, int] = {}
    variants: dict[str, int] = {}
    queue = deque(seeds)
    leaks: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local in seen or SKIP.search(parts.path):
            continue
        variants[parts.path] = variants.get(parts.path, 0) + 1
        if variants[parts.path] > MAX_VARIANTS:
            continue
        response = client.get(local)
        seen[local] = response.status_code
        assert response.status_code < 500, local
        if CANARY in text_of(response).lower():
            leaks.append(local)
            if until_canary:
                break
        queue.extend(links_in(local, response))
    return seen, leaks


def api_urls() -> list[str]:
    """Every GET operation of the API, with the identifiers of both providers' rows."""
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    providers = Provider.objects.filter(slug__in=PROVIDERS)
    ids = {
        "offerings": list(
            Offering.objects.filter(provider__in=providers).values_list("pk", flat=True)
        ),
        "parties": list(Party.objects.filter(provider__in=providers).values_list("pk", flat=True)),
        "domains": list(
            ControlDomain.objects.filter(provider__in=providers).values_list("pk", flat=True)
        ),
        "duties": [],
        "pdfs": list(
            PdfDocument.objects.filter(provider__in=providers).values_list("pk", flat=True)
        ),
        "grants": list(
            AccessGrant.objects.filter(provider__in=providers).values_list("pk", flat=True)
        ),
        "webhooks": list(
            Webhook.objects.filter(provider__in=providers).values_list("pk", flat=True)
        ),
    }
    cells = list(
        Cell.objects.filter(provider__in=providers).values_list(
            "provider__slug", "offering__slug", "domain__slug"
        )
    )
    urls = []
    for template, operations in paths.items():
        if "get" not in operations:
            continue
        for slug in PROVIDERS:
            url = template.replace("{provider_slug}", slug).replace("{slug}", slug)
            if "{offering}" in url:
                urls += [
                    url.replace("{offering}", o).replace("{domain}", d)
                    for s, o, d in cells
                    if s == slug
                ]
                continue
            if "{id}" in url:
                kind = url.split("/")[-3]
                urls += [url.replace("{id}", str(pk)) for pk in ids.get(kind, [])]
                continue
            if "{number}" in url:
                urls.append(url.replace("{number}", "1"))
                continue
            if "{old}" in url:
                urls += [
                    url.replace("{old}", old).replace("{new}", new)
                    for old, new in (("1", "latest"), ("latest", "draft"), ("1", "draft"))
                ]
                continue
            if "{fmt}" in url:
                formats = ("csv", "json") if "/audit/" in url else EXPORT_FORMATS
                urls += [url.replace("{fmt}", fmt) for fmt in formats]
                continue
            if "{pk}" in url:
                urls += [url.replace("{pk}", str(pk)) for pk in ids["pdfs"]]
                continue
            urls.append(url)
    with_versions = [
        f"{url}{'&' if '?' in url else '?'}version={which}"
        for url in urls
        if url.rstrip("/").endswith(("matrix", *EXPORT_FORMATS))
        for which in ("draft", "latest", "1")
    ]
    return sorted(set(urls + with_versions))


EXPORT_FORMATS = ("csv", "xlsx", "json", "oscal-component.json", "oscal-ssp.json", "caiq.xlsx")


@pytest.fixture
def canary(users):
    """Draft-only canary content in SingleStore (published) and in a never-published provider."""
    editor = users["editor"]
    singlestore = Provider.objects.get(slug="singlestore")
    offering = offering_create(
        actor=editor, provider=singlestore, name="Quokkacanary Edge", slug="edge", kind="byoc"
    )
    party = party_create(
        actor=editor, provider=singlestore, name="Quokkacanary Partners", role="third-party"
    )
    domain = domain_create(
        actor=editor, provider=singlestore, name="Quokkacanary controls", slug="qc"
    )
    cell_set(
        actor=editor,
        offering=offering,
        domain=domain,
        ownership="third-party",
        duties={party: [DutyInput(text="Audit the quokkacanary pipeline.")]},
    )
    customer_duty_set(editor, "Rotate the quokkacanary keys every quarter.")
    helios = Offering.objects.get(provider=singlestore, slug="helios")
    axis_update(
        actor=editor,
        obj=helios,
        expected_version=helios.version,
        changes={"name": "Helios Quokkacanary"},
    )

    unreleased = provider_create(name="Unreleased Labs", slug=UNRELEASED)
    for key, role in (
        ("viewer", Role.VIEWER),
        ("auditor", Role.AUDITOR),
        ("editor", Role.EDITOR),
        ("approver", Role.APPROVER),
        ("admin", Role.ADMIN),
    ):
        role_set(actor=None, provider=unreleased, principal=users[key], role=role)
    hosted = offering_create(
        actor=editor, provider=unreleased, name="Quokkacanary Cloud", slug="cloud", kind="managed"
    )
    keys = domain_create(actor=editor, provider=unreleased, name="Keys", slug="keys")
    customer = party_create(actor=editor, provider=unreleased, name="Customer", role="customer")
    cell_set(
        actor=editor,
        offering=hosted,
        domain=keys,
        ownership="customer",
        duties={customer: [DutyInput(text="Guard the quokkacanary.")]},
    )
    # Its trust center open to outsiders, so its page offers the request form too.
    trust_center_update(actor=None, provider=singlestore, enabled=True)
    return singlestore


SEEDS = [
    "/",
    "/search/?q=quokka",
    "/?name=labs",
    "/?kind=byoc",
    "/providers/singlestore/",
    "/providers/singlestore/?view=draft",
    f"/providers/{UNRELEASED}/",
    f"/providers/{UNRELEASED}/?view=draft",
    "/audit/",
    "/accounts/tokens/",
    "/trust/",
    "/trust/singlestore/",
    f"/trust/{UNRELEASED}/",
    # Addresses a reader could type or be sent, whatever the pages link to.
    "/providers/singlestore/versions/1/diff/latest/",
    "/providers/singlestore/versions/latest/diff/draft/",
    "/providers/singlestore/export.json?version=draft",
    "/providers/singlestore/pdf/?variant=matrix&version=draft",
    "/providers/singlestore/offerings/edge/?view=draft",
    "/providers/singlestore/compare/?view=draft&o=helios&o=edge",
]


def outside_reader():
    """A new account given access to SingleStore through the trust center, for a week."""
    user = get_user_model().objects.create_user(
        "outside-reader", email="reader@bank.example", password="x-Pass-12345"
    )
    grant_create(
        actor=None,
        provider=Provider.objects.get(slug="singlestore"),
        user=user,
        expires_at=timezone.now() + timedelta(days=7),
        company="First Bank",
    )
    return user


@pytest.mark.parametrize("reader", list(READERS))
def test_the_canary_reaches_exactly_the_readers_of_the_draft(
    canary, users, as_user, reader, tasks_in_process
):
    if reader == "outside_reader":
        users[reader] = outside_reader()
    client = as_user(None if reader == "anonymous" else reader)
    allowed = READERS[reader]

    pages, page_leaks = crawl(client, SEEDS, until_canary=allowed)
    api_leaks = []
    for url in api_urls():
        response = client.get(url)
        assert response.status_code < 500, url
        if CANARY in text_of(response).lower():
            api_leaks.append(url)
            if allowed:
                break

    if allowed:
        assert page_leaks, f"{reader} should find the draft on the pages ({len(pages)} crawled)"
        assert api_leaks, f"{reader} should read the draft through the API"
    else:
        assert page_leaks == [], f"the draft leaks to {reader} on {page_leaks}"
        assert api_leaks == [], f"the draft leaks to {reader} through {api_leaks}"
        # The crawl went somewhere: the published matrix, its offerings and PDFs.
        assert len(pages) > 20
        assert any("/pdf/" in url and url.endswith("/download/") for url in pages)


def test_an_offering_kind_added_in_a_draft_does_not_match_the_provider_filter(users, as_user):
    """ClickHouse offers "managed" only; a BYOC offering in its draft must not make it match
    ``kind=byoc`` (home page and API) before a version with it is published."""
    clickhouse = Provider.objects.get(slug="clickhouse")
    offering_create(
        actor=users["other_editor"], provider=clickhouse, name="BYOC", slug="byoc", kind="byoc"
    )
    for who in (None, "outsider", "other_editor"):
        client = as_user(who)
        home = client.get("/", {"kind": "byoc"}).content.decode()
        api = client.get("/api/v1/providers/", {"kind": "byoc"}).json()
        assert "/providers/clickhouse/" not in home
        assert "/providers/singlestore/" in home  # it does publish a BYOC offering
        assert "clickhouse" not in [provider["slug"] for provider in api["results"]]
