"""The audit log pages: who may read them, filters, keyset pages, query counts, diffs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from math import ceil

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.services import role_set
from audit import selectors
from audit.models import AuditRecord
from matrices.models import Cell, Provider
from matrices.services import provider_create
from matrices.templatetags.audit_tags import history_url
from tests.audit.records import record_append, row_of, seqs_on

pytestmark = pytest.mark.django_db


LOG = "/providers/singlestore/audit/"


SITE_LOG = "/audit/"


OLDER = re.compile(r'<a class="button" href="([^"]+)" rel="next"')


NEWER = re.compile(r'<a class="button" href="([^"]+)" rel="prev"')


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def log_seqs(provider: Provider | None = None, **filters) -> list[int]:
    records = AuditRecord.objects.filter(**filters)
    if provider is not None:
        records = records.filter(provider=provider)
    return list(records.order_by("-seq").values_list("seq", flat=True))


def link(pattern: re.Pattern, html: str) -> str | None:
    match = pattern.search(html)
    return unescape(match.group(1)) if match else None


@pytest.fixture
def provider_with_records(users):
    def make(slug: str, count: int) -> Provider:
        provider = provider_create(name=slug.title(), slug=slug)
        role_set(actor=None, provider=provider, principal=users["auditor"], role=Role.AUDITOR)
        for index in range(count):
            record_append(
                provider=provider,
                object_id=index % 7,
                object_label=f"Offering {index}",
                before={"name": f"Old {index}", "kind": "saas"},
                after={"name": f"New {index}", "kind": "saas"},
                reason="Renamed",
                actor=users["editor"],
            )
        return provider

    return make


def count_queries(client, url: str, params: dict | None = None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), [query["sql"] for query in queries]


CELL_BEFORE = {
    "offering": "helios",
    "domain": "encryption",
    "ownership": "customer",
    "duties": [
        {"party": "Customer", "text": "Keep this duty", "advanced": False,
         "not_applicable": False, "scope": ""},
        {"party": "Customer", "text": "Drop this duty", "advanced": False,
         "not_applicable": False, "scope": ""},
        {"party": "SingleStore", "text": "Encrypt at rest", "advanced": False,
         "not_applicable": False, "scope": ""},
    ],
}  # fmt: skip


CELL_AFTER = {
    **CELL_BEFORE,
    "ownership": "shared",
    "duties": [
        CELL_BEFORE["duties"][0],
        {"party": "Customer", "text": "<script>alert(1)</script>", "advanced": True,
         "not_applicable": False, "scope": ""},
        CELL_BEFORE["duties"][2],
    ],
}  # fmt: skip


def fields_in(row: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', row)


def test_the_urls_are_named_as_the_matrix_pages_expect():
    assert reverse("matrices:audit_log", args=["singlestore"]) == LOG
    assert reverse("matrices:site_audit_log") == SITE_LOG
    assert reverse("matrices:audit_export", args=["x", "csv"]) == "/providers/x/audit/export.csv"
    assert reverse("matrices:audit_export", args=["x", "json"]) == "/providers/x/audit/export.json"


def test_it_shows_an_auditor_the_providers_records_newest_first(as_user, singlestore, clickhouse):
    own = record_append(provider=singlestore, object_id="1", object_label="Helios renamed")
    foreign = record_append(provider=clickhouse, object_id="2", object_label="Elsewhere")

    html = html_of(as_user("auditor").get(LOG))

    seqs = seqs_on(html)
    assert seqs == log_seqs(singlestore)[: selectors.PAGE_SIZE]
    assert seqs[0] == own.seq
    assert foreign.seq not in seqs
    assert "Helios renamed" in html
    assert "Elsewhere" not in html


@pytest.mark.parametrize("role", ["editor", "approver", "admin"])
def test_it_shows_the_log_to_every_role_that_may_audit(as_user, role):
    assert seqs_on(html_of(as_user(role).get(LOG)))


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_it_refuses_the_log_to_those_who_may_only_view(as_user, who):
    response = as_user(who).get(LOG)
    assert response.status_code == 403
    assert b'id="audit-rows"' not in response.content


def test_it_sends_anonymous_visitors_to_sign_in(as_user):
    response = as_user(None).get(LOG + "?action=grant")
    assert response.status_code == 302
    login = resolve_url(settings.LOGIN_URL)
    assert response["Location"].startswith(f"{login}?next=")
    assert "/providers/singlestore/audit/" in unescape(response["Location"]).replace("%2F", "/")


def test_it_refuses_a_public_providers_log_to_an_auditor_of_another_provider(as_user, clickhouse):
    response = as_user("auditor").get(reverse("matrices:audit_log", args=[clickhouse.slug]))
    assert response.status_code == 403


def test_it_hides_a_private_providers_log_from_those_who_cannot_see_it(as_user):
    provider_create(name="Hidden", slug="hidden", visibility="private")
    assert as_user("auditor").get("/providers/hidden/audit/").status_code == 404
    assert as_user("superuser").get("/providers/hidden/audit/").status_code == 200


def test_it_refuses_the_site_log_to_a_provider_auditor(as_user):
    assert as_user("auditor").get(SITE_LOG).status_code == 403
    assert as_user("admin").get(SITE_LOG).status_code == 403


def test_it_sends_anonymous_visitors_of_the_site_log_to_sign_in(as_user):
    response = as_user(None).get(SITE_LOG)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_it_shows_a_superuser_every_providers_records_and_sign_ins(as_user, singlestore, users):
    sign_in = record_append(
        action="sign-in", object_type="user", object_id=users["editor"].pk, actor=users["editor"]
    )
    html = html_of(as_user("superuser").get(SITE_LOG))
    seqs = seqs_on(html)
    assert seqs == log_seqs()[: selectors.PAGE_SIZE]
    assert sign_in.seq in seqs
    assert '<th scope="col">Provider</th>' in html
    providers = set(
        AuditRecord.objects.filter(seq__in=seqs).values_list("provider_label", flat=True)
    )
    assert len(providers - {""}) >= 1


def test_it_narrows_the_log_to_one_action(as_user, singlestore):
    html = html_of(as_user("auditor").get(LOG, {"action": "grant"}))
    expected = log_seqs(singlestore, action="grant")
    assert expected
    assert seqs_on(html) == expected
    assert set(re.findall(r'class="audit-action audit-action--([a-z-]+)"', html)) == {"grant"}


def test_it_narrows_the_log_to_one_actor(as_user, singlestore, users):
    mine = [
        record_append(provider=singlestore, object_id=str(i), actor=users["editor"])
        for i in range(3)
    ]
    record_append(provider=singlestore, object_id="9", actor=users["admin"])

    html = html_of(as_user("auditor").get(LOG, {"actor": "demo-editor"}))

    assert seqs_on(html) == [record.seq for record in reversed(mine)]


def test_it_finds_an_actor_by_their_current_username_after_a_rename(as_user, singlestore, users):
    record = record_append(provider=singlestore, object_id="1", actor=users["editor"])
    users["editor"].username = "renamed-editor"
    users["editor"].save()
    client = as_user("auditor")

    assert seqs_on(html_of(client.get(LOG, {"actor": "renamed-editor"}))) == [record.seq]
    assert seqs_on(html_of(client.get(LOG, {"actor": "demo-editor"}))) == [record.seq]


def test_it_shows_one_objects_history_with_a_heading_naming_it(as_user, singlestore):
    cell = Cell.objects.filter(provider=singlestore).select_related("domain", "offering").first()
    label = f"{cell.domain.name} / {cell.offering.name}"
    record_append(provider=singlestore, object_type="cell", object_id=cell.pk, object_label=label)
    other = Cell.objects.filter(provider=singlestore).exclude(pk=cell.pk).first()
    record_append(provider=singlestore, object_type="cell", object_id=other.pk)

    html = html_of(as_user("auditor").get(history_url(singlestore, "cell", cell.pk)))

    expected = log_seqs(singlestore, object_type="cell", object_id=str(cell.pk))
    assert len(expected) == 2  # its creation by loaddemo and the record above
    assert seqs_on(html) == expected
    assert f"<h1>History of cell “{label}”</h1>" in html


def test_it_narrows_the_log_to_a_date_range_including_both_days(as_user, singlestore):
    def at(day: int, hour: int, minute: int, second: int, micro: int = 0) -> AuditRecord:
        moment = datetime(2020, 3, day, hour, minute, second, micro, tzinfo=UTC)
        return record_append(provider=singlestore, object_id=str(day), at=moment)

    at(1, 23, 59, 59, 999_999)
    first_inside = at(2, 0, 0, 0)
    last_inside = at(3, 23, 59, 59, 999_999)
    at(4, 0, 0, 0)

    html = html_of(
        as_user("auditor").get(LOG, {"date_from": "2020-03-02", "date_to": "2020-03-03"})
    )

    assert seqs_on(html) == [last_inside.seq, first_inside.seq]


def test_it_searches_object_labels_and_reasons(as_user, singlestore):
    by_label = record_append(provider=singlestore, object_id="1", object_label="Quasar offering")
    by_reason = record_append(provider=singlestore, object_id="2", reason="Customer asked quasar")
    html = html_of(as_user("auditor").get(LOG, {"q": "quasar"}))
    assert seqs_on(html) == [by_reason.seq, by_label.seq]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2024-02-30"}, "From: Enter a valid date."),
        ({"date_to": "yesterday"}, "To: Enter a valid date."),
        ({"action": "explode"}, "Action: Select a valid choice."),
        ({"object_type": "planet"}, "Object type: Select a valid choice."),
        ({"before": "abc"}, "Page cursor: Enter a whole number."),
        (
            {"date_from": "2024-05-02", "date_to": "2024-05-01"},
            "To: The end date is before the start date.",
        ),
    ],
)
def test_it_explains_invalid_filters_instead_of_failing(as_user, params, message):
    html = html_of(as_user("auditor").get(LOG, params))
    assert message in html
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html or "before" in params
    assert 'id="audit-rows"' not in html
    assert "No records are shown until the filters are fixed." in html


def test_it_starts_the_next_page_right_after_the_last_record_shown(
    as_user, singlestore, monkeypatch
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 7)
    expected = log_seqs(singlestore)
    client = as_user("auditor")

    first = html_of(client.get(LOG))
    older = link(OLDER, first)
    second = html_of(client.get(older))

    assert seqs_on(first) == expected[:7]
    assert older == f"{LOG}?before={expected[6]}"
    assert seqs_on(second) == expected[7:14]


def test_it_walks_the_whole_log_without_duplicates_or_gaps(as_user, singlestore, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 7)
    expected = log_seqs(singlestore)
    client = as_user("auditor")
    seen: list[int] = []
    url: str | None = LOG
    pages = 0
    while url:
        html = html_of(client.get(url))
        page = seqs_on(html)
        assert 0 < len(page) <= 7
        seen.extend(page)
        url = link(OLDER, html)
        pages += 1
    assert seen == expected
    assert pages == ceil(len(expected) / 7)
    assert "End of the log." in html


def test_its_newer_link_leads_back_to_the_page_before(as_user, singlestore, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 5)
    expected = log_seqs(singlestore)
    client = as_user("auditor")
    first = html_of(client.get(LOG))
    second = html_of(client.get(link(OLDER, first)))
    third = html_of(client.get(link(OLDER, second)))

    assert link(NEWER, first) is None
    assert seqs_on(html_of(client.get(link(NEWER, third)))) == expected[5:10]
    assert link(NEWER, second) == LOG  # the newest page carries no cursor
    assert seqs_on(html_of(client.get(link(NEWER, second)))) == expected[:5]


def test_its_page_links_keep_the_filters(as_user, singlestore, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    expected = log_seqs(singlestore, action="create", object_type="offering")
    client = as_user("auditor")

    first = html_of(client.get(LOG, {"action": "create", "object_type": "offering"}))
    older = link(OLDER, first)
    second = html_of(client.get(older))

    assert "action=create" in older
    assert "object_type=offering" in older
    assert seqs_on(second) == expected[2:4]
    assert "action=create" in link(NEWER, second)


def test_load_older_answers_htmx_with_the_next_rows_only(as_user, singlestore, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    expected = log_seqs(singlestore)
    client = as_user("auditor")
    older = link(OLDER, html_of(client.get(LOG)))

    partial = html_of(client.get(older, headers={"HX-Request": "true"}))

    assert "<html" not in partial
    assert seqs_on(partial) == expected[4:8]
    assert 'id="audit-pager"' in partial
    assert link(OLDER, partial) == f"{LOG}?before={expected[7]}"
    assert 'hx-select="#audit-rows > tr"' in partial
    assert link(NEWER, partial) is None  # the page above still starts at the newest


def test_page_of_cuts_on_seq_and_returns_the_next_cursor(singlestore):
    records = selectors.audit_records(provider=singlestore)
    expected = log_seqs(singlestore)

    first, cursor = selectors.page_of(records, before_seq=None, size=3)
    second, _ = selectors.page_of(records, before_seq=cursor, size=3)
    last, end = selectors.page_of(records, before_seq=expected[-2], size=3)

    assert [r.seq for r in first] == expected[:3]
    assert cursor == expected[2]
    assert [r.seq for r in second] == expected[3:6]
    assert [r.seq for r in last] == expected[-1:]
    assert end is None


@pytest.mark.parametrize(
    "params",
    [{}, {"action": "update"}, {"object_type": "offering", "object_id": "3"}, {"before": "999999"}],
)
def test_a_log_page_costs_the_same_queries_for_300_records_as_for_10(
    as_user, provider_with_records, params
):
    small = provider_with_records("small", 10)
    big = provider_with_records("big", 300)
    client = as_user("auditor")

    small_count, _ = count_queries(client, reverse("matrices:audit_log", args=[small.slug]), params)
    big_count, sql = count_queries(client, reverse("matrices:audit_log", args=[big.slug]), params)

    assert big_count == small_count
    assert big_count <= 10
    assert not [q for q in sql if "COUNT(" in q.upper() or "OFFSET" in q.upper()]


def test_the_diff_escapes_hostile_text_from_the_record(as_user, singlestore):
    record = record_append(
        provider=singlestore,
        object_type="cell",
        object_id="12",
        object_label="<b>Encryption</b> / Helios",
        before=CELL_BEFORE,
        after=CELL_AFTER,
        reason='<img src=x onerror="alert(2)">',
    )
    html = html_of(as_user("auditor").get(LOG))
    row = row_of(html, record.seq)

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in row
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;Encryption&lt;/b&gt; / Helios" in row
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in row
    assert "<img src=x" not in html


def test_the_field_diff_escapes_hostile_values(as_user, singlestore):
    record = record_append(
        provider=singlestore,
        object_type="domain",
        object_id="3",
        before={"name": "<i>Old</i>", "description": "same"},
        after={"name": '<svg onload="alert(3)">', "description": "same"},
    )
    row = row_of(html_of(as_user("auditor").get(LOG)), record.seq)
    assert "&lt;i&gt;Old&lt;/i&gt;</del>" in row
    assert "&lt;svg onload=&quot;alert(3)&quot;&gt;</ins>" in row
    assert "<svg" not in row


def test_the_cell_diff_strikes_removed_duties_and_marks_added_ones(as_user, singlestore):
    record = record_append(
        provider=singlestore, object_type="cell", object_id="12", before=CELL_BEFORE,
        after=CELL_AFTER,
    )  # fmt: skip
    row = row_of(html_of(as_user("auditor").get(LOG)), record.seq)

    removed = re.findall(r"<del>.*?</del>", row, re.S)
    added = re.findall(r"<ins>.*?</ins>", row, re.S)
    assert len(removed) == 1
    assert "Drop this duty" in removed[0]
    assert len(added) == 1
    assert "&lt;script&gt;" in added[0]
    assert "Advanced" in added[0]
    assert "Keep this duty" in row
    assert "Keep this duty" not in "".join(removed + added)
    badges = re.findall(r'class="own own--([a-z-]+)"', row)
    assert badges == ["customer", "shared"]  # ownership before, then after
    assert 'SingleStore <span class="muted">(unchanged)</span>' in row


def test_an_update_diff_shows_only_the_changed_fields(as_user, singlestore):
    record = record_append(
        provider=singlestore,
        action="update",
        object_id="5",
        before={"name": "Helios", "slug": "helios", "description": "Managed"},
        after={"name": "Helios Cloud", "slug": "helios", "description": "Managed"},
    )
    row = row_of(html_of(as_user("auditor").get(LOG)), record.seq)
    assert fields_in(row) == ["name"]
    assert '<del><span class="visually-hidden">Removed: </span>Helios</del>' in row
    assert '<ins><span class="visually-hidden">Added: </span>Helios Cloud</ins>' in row


def test_a_create_diff_shows_every_field(as_user, singlestore):
    record = record_append(
        provider=singlestore,
        action="create",
        object_type="party",
        object_id="5",
        after={"name": "Partner", "role": "third-party", "position": 3},
    )
    row = row_of(html_of(as_user("auditor").get(LOG)), record.seq)
    assert fields_in(row) == ["name", "role", "position"]


def test_a_record_without_snapshots_has_no_diff_to_expand(as_user, users):
    record = record_append(
        action="sign-out", object_type="user", object_id=users["editor"].pk, actor=users["editor"]
    )
    row = row_of(html_of(as_user("superuser").get(SITE_LOG)), record.seq)
    assert "<details" not in row


def test_history_url_links_a_providers_object_and_a_site_object():
    assert history_url("singlestore", "cell", 12) == f"{LOG}?object_type=cell&object_id=12"
    assert history_url(None, "user", 3) == f"{SITE_LOG}?object_type=user&object_id=3"


def test_history_url_takes_a_provider_object_too(singlestore):
    assert history_url(singlestore, "offering", 4) == f"{LOG}?object_type=offering&object_id=4"


def test_each_row_links_its_objects_history(as_user, singlestore):
    record = record_append(provider=singlestore, object_type="domain", object_id="77")
    row = row_of(html_of(as_user("auditor").get(LOG)), record.seq)
    assert f'href="{LOG}?object_type=domain&amp;object_id=77"' in row
