"""The analytics page, its CSV export and the folding of old events into daily counts."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Visibility
from audit.models import AuditRecord
from matrices.models import Provider
from trust.analytics import AnalyticsFilters, events_fold, provider_analytics
from trust.models import ReadDaily, ReadEvent, TrustCenter

pytestmark = pytest.mark.django_db

P = "singlestore"
PAGE = reverse("trust:analytics", args=[P])
CSV = reverse("trust:analytics_csv", args=[P])


def event(provider, *, days_ago=0, kind="view", company="", reader="", document="matrix", **extra):
    return ReadEvent.objects.create(
        provider=provider,
        version_number=extra.pop("version", 1),
        document=document,
        kind=kind,
        reader=reader,
        company=company,
        at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


@pytest.fixture
def reads(singlestore, clickhouse):
    """Reads of SingleStore by two companies and a visitor; one of ClickHouse (not counted)."""
    event(singlestore, company="Acme", reader="ann@acme.example")
    event(
        singlestore,
        company="Acme",
        reader="ann@acme.example",
        kind="download",
        document="pdf:matrix",
    )
    event(singlestore, days_ago=3, company="Globex", reader="bob@globex.example", version=2)
    event(singlestore, days_ago=10)
    event(singlestore, days_ago=40, company="Acme", reader="cy@acme.example")
    event(clickhouse, company="Acme", reader="ann@acme.example")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("trust_manager", 200),
        ("editor", 403),
        ("auditor", 403),
        ("viewer", 403),
        ("outsider", 404),
    ],
)
def test_only_admins_and_trust_managers_see_the_analytics(as_user, reads, who, status):
    Provider.objects.filter(slug=P).update(visibility=Visibility.PRIVATE)
    client = as_user(who)
    assert client.get(PAGE).status_code == status
    assert client.get(CSV).status_code == status
    exports = AuditRecord.objects.filter(action="download").count()
    assert exports == (1 if status == 200 else 0)


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_page_counts_the_period_and_lists_the_reads(as_user, reads):
    page = as_user("trust_manager").get(PAGE)
    report = page.context["report"]
    assert (report.totals.views, report.totals.downloads) == (3, 1)
    assert report.readers == 2  # ann twice, bob; the visitor is no one; cy is 40 days ago
    assert report.companies == 2
    assert [(name, c.total) for name, c in report.per_company] == [("Acme", 2), ("Globex", 1)]
    assert [(n, c.views, c.downloads) for n, c in report.per_version] == [(2, 1, 0), (1, 2, 1)]
    assert {d: c.total for d, c in report.per_document} == {"matrix": 3, "pdf:matrix": 1}
    assert len(report.per_day) == 30
    assert report.per_day[-1][1].total == 2
    assert report.per_day[-4][1].total == 1
    assert len(page.context["events"].object_list) == 4
    body = page.content.decode()
    assert "bob@globex.example" in body
    assert "cy@acme.example" not in body


def test_the_filters_narrow_every_count(as_user, reads):
    client = as_user("admin")
    report = client.get(PAGE, {"days": 90, "company": "Acme"}).context["report"]
    assert (report.totals.views, report.totals.downloads, report.readers) == (2, 1, 2)
    report = client.get(PAGE, {"days": 7, "kind": "download"}).context["report"]
    assert (report.totals.views, report.totals.downloads, len(report.per_day)) == (0, 1, 7)


def test_bad_filters_are_shown_and_the_defaults_applied(as_user, reads):
    response = as_user("admin").get(PAGE, {"days": "forever", "kind": "print"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "These filters cannot be applied" in body
    assert response.context["report"].filters == AnalyticsFilters()


def test_the_events_are_paginated(as_user, singlestore):
    for n in range(30):
        event(singlestore, reader=f"reader{n:02}@example.com")
    client = as_user("admin")
    first = client.get(PAGE)
    assert len(first.context["events"].object_list) == 25
    assert 'rel="next"' in first.content.decode()
    second = client.get(PAGE, {"days": 30, "page": 2})
    assert len(second.context["events"].object_list) == 5


def test_the_chart_is_an_accessible_svg_that_escapes_company_names(as_user, singlestore):
    event(singlestore, company="<script>alert(1)</script>", reader="mal@example.com")
    body = as_user("admin").get(PAGE, {"company": "<script>alert(1)</script>"}).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert ">Reads</text>" in svg
    assert "<rect" in svg  # one day with reads: one bar
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg  # named in the chart's title


def test_the_chart_says_when_there_is_nothing_to_draw(as_user):
    body = as_user("admin").get(PAGE).content.decode()
    assert "<svg" in body
    assert "<rect" not in body
    assert "No reads in this period." in body


def test_the_analytics_are_linked_for_those_who_may_open_them(as_user):
    provider_page = reverse("matrices:provider", args=[P])
    team = reverse("trust:team", args=[P])
    assert team in as_user("trust_manager").get(provider_page).content.decode()
    assert team not in as_user("editor").get(provider_page).content.decode()
    assert PAGE in as_user("trust_manager").get(team).content.decode()


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_export_is_the_filtered_raw_events_and_is_audited(as_user, reads, users):
    response = as_user("trust_manager").get(CSV, {"days": 30, "company": "Acme"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    table = rows(response)
    assert table[0] == ["at", "reader", "company", "kind", "document", "version", "provider"]
    assert sorted((r[1], r[3], r[4]) for r in table[1:]) == [
        ("ann@acme.example", "download", "pdf:matrix"),
        ("ann@acme.example", "view", "matrix"),
    ]
    record = AuditRecord.objects.filter(action="download").latest("seq")
    assert record.actor_id == users["trust_manager"].pk
    assert record.object_type == "provider"  # SingleStore has no trust center yet
    assert record.after == {"days": 30, "company": "Acme", "rows": 2}


def test_the_csv_export_is_audited_on_the_trust_center_when_there_is_one(as_user, singlestore):
    center = TrustCenter.objects.create(provider=singlestore)
    rows(as_user("admin").get(CSV))
    record = AuditRecord.objects.filter(action="download").latest("seq")
    assert (record.object_type, record.object_id) == ("trust-center", str(center.pk))


def test_the_csv_is_safe_from_spreadsheet_formulas(as_user, singlestore):
    event(singlestore, company='=HYPERLINK("http://evil")', reader="+1@example.com")
    event(singlestore, company="@SUM(A1)", reader="-x")
    table = rows(as_user("admin").get(CSV))
    cells = [cell for row in table[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'+1@example.com" in cells
    assert "'@SUM(A1)" in cells
    assert "'-x" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_bad_csv_filters_are_a_400_and_export_nothing(as_user, reads):
    response = as_user("admin").get(CSV, {"days": 0})
    assert response.status_code == 400
    assert not AuditRecord.objects.filter(action="download").exists()


# Folding ----------------------------------------------------------------------------


def test_folding_keeps_every_count_and_deletes_only_the_events_past_the_setting(
    settings, singlestore
):
    settings.TRUST_EVENTS_KEEP_DAYS = 200
    now = timezone.now()
    kept = [
        event(singlestore, days_ago=0, company="Acme", reader="a@acme.example"),
        event(singlestore, days_ago=199, company="Acme", reader="a@acme.example"),
    ]
    for days_ago, kind, company in [
        (201, "view", "Acme"),
        (201, "view", "Acme"),
        (201, "download", "Acme"),
        (202, "view", ""),
        (300, "view", "Globex"),
    ]:
        event(singlestore, days_ago=days_ago, kind=kind, company=company, reader="x@example.com")
    filters = AnalyticsFilters(days=365)
    before = provider_analytics(singlestore, filters, now=now)

    assert events_fold(now=now) == 5

    assert sorted(ReadEvent.objects.values_list("pk", flat=True)) == sorted(e.pk for e in kept)
    after = provider_analytics(singlestore, filters, now=now)
    assert after.totals == before.totals
    assert after.per_day == before.per_day
    assert after.per_company == before.per_company
    assert after.per_version == before.per_version
    assert after.per_document == before.per_document
    assert ReadDaily.objects.filter(company="Acme", kind="view").get().count == 2


def test_folding_again_adds_to_the_days_already_folded(settings, singlestore):
    settings.TRUST_EVENTS_KEEP_DAYS = 200
    now = timezone.now()
    event(singlestore, days_ago=250, company="Acme")
    events_fold(now=now)
    event(singlestore, days_ago=250, company="Acme")
    assert events_fold(now=now) == 1
    assert list(ReadDaily.objects.values_list("count", flat=True)) == [2]
    assert events_fold(now=now) == 0


def test_folding_is_audited_per_provider_and_day(settings, singlestore):
    """Folding deletes records that name readers: the audit log says how many, of which
    provider and day, in the fold's own transaction."""
    settings.TRUST_EVENTS_KEEP_DAYS = 200
    now = timezone.now()
    clickhouse = Provider.objects.get(slug="clickhouse")
    for provider, days_ago in ((singlestore, 201), (singlestore, 201), (clickhouse, 201)):
        event(provider, days_ago=days_ago)
    event(singlestore, days_ago=300)
    before = AuditRecord.objects.count()
    assert events_fold(now=now) == 4
    folded = AuditRecord.objects.filter(action="delete").order_by("seq")
    assert AuditRecord.objects.count() == before + 3
    assert sorted((r.provider_id, r.after["events"]) for r in folded) == sorted(
        [(singlestore.pk, 2), (clickhouse.pk, 1), (singlestore.pk, 1)]
    )
    assert all(r.actor_id is None and "folded" in r.object_label for r in folded)


def test_the_fold_task_folds(settings, singlestore):
    from trust.tasks import events_fold as task

    settings.TRUST_EVENTS_KEEP_DAYS = 190
    event(singlestore, days_ago=400)
    assert task.apply().get() == 1
    assert not ReadEvent.objects.exists()


def test_the_periods_are_whole_days_of_the_site(singlestore):
    now = timezone.make_aware(datetime(2026, 3, 10, 12, 0))
    ReadEvent.objects.create(
        provider=singlestore,
        document="matrix",
        kind="view",
        at=timezone.make_aware(datetime(2026, 3, 4, 0, 1)),
    )
    ReadEvent.objects.create(
        provider=singlestore,
        document="matrix",
        kind="view",
        at=timezone.make_aware(datetime(2026, 3, 3, 23, 59)),
    )
    report = provider_analytics(singlestore, AnalyticsFilters(days=7), now=now)
    assert (report.start.isoformat(), report.totals.views) == ("2026-03-04", 1)


def test_a_head_of_the_csv_exports_and_audits_nothing(as_user, reads):
    response = as_user("admin").head(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert not AuditRecord.objects.filter(action="download").exists()
