"""A provider's reading analytics: who viewed or downloaded what, when, from which company.

Reads (selectors) count the raw ``ReadEvent`` rows and the ``ReadDaily`` rows that
older days were folded into, so every count, and the chart, stays the same after
folding; only the readers' names go (``readers`` counts the raw rows only). The
writes here are the retention (``events_fold``) and the CSV export of raw events,
which names people and is therefore audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from audit.exports import csv_lines
from audit.models import AuditAction
from matrices.models import Provider
from matrices.services.auditing import audit_change
from trust.centers import trust_audit_subject, trust_export_audit
from trust.models import ReadDaily, ReadEvent

VIEW, DOWNLOAD = ReadEvent.Kind.VIEW, ReadEvent.Kind.DOWNLOAD
TOP_COMPANIES = 10


@dataclass(frozen=True)
class AnalyticsFilters:
    """What the analytics count: the last ``days`` days (today included), one kind of read
    or both (""), one company or all ("")."""

    days: int = 30
    kind: str = ""
    company: str = ""

    def as_params(self) -> dict[str, Any]:
        """The filters as a query string takes them (the defaults left out but ``days``)."""
        params: dict[str, Any] = {"days": self.days}
        if self.kind:
            params["kind"] = self.kind
        if self.company:
            params["company"] = self.company
        return params


@dataclass
class Counts:
    views: int = 0
    downloads: int = 0

    @property
    def total(self) -> int:
        return self.views + self.downloads

    def add(self, kind: str, n: int) -> None:
        if kind == VIEW:
            self.views += n
        else:
            self.downloads += n


@dataclass
class Analytics:
    """What the analytics page and API show of one provider, for one set of filters."""

    start: date
    end: date
    filters: AnalyticsFilters
    totals: Counts
    readers: int
    companies: int
    per_day: list[tuple[date, Counts]]
    per_version: list[tuple[int | None, Counts]]
    per_document: list[tuple[str, Counts]]
    per_company: list[tuple[str, Counts]] = field(default_factory=list)


def _midnight(day: date) -> datetime:
    """The start of ``day`` in the site's time zone (the days the analytics count in)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def period(days: int, *, now: datetime | None = None) -> tuple[date, date]:
    """The first and last day of the last ``days`` days, today included."""
    today = timezone.localdate(now or timezone.now())
    return today - timedelta(days=days - 1), today


def read_events(
    provider: Provider, filters: AnalyticsFilters, *, now: datetime | None = None
) -> QuerySet[ReadEvent]:
    """The raw reading events of ``provider`` the filters select, newest first."""
    start, _ = period(filters.days, now=now)
    events = ReadEvent.objects.filter(provider=provider, at__gte=_midnight(start))
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.company:
        events = events.filter(company=filters.company)
    return events.order_by("-at", "-pk")


def _read_daily(
    provider: Provider, filters: AnalyticsFilters, *, now: datetime | None = None
) -> QuerySet[ReadDaily]:
    start, _ = period(filters.days, now=now)
    daily = ReadDaily.objects.filter(provider=provider, day__gte=start)
    if filters.kind:
        daily = daily.filter(kind=filters.kind)
    if filters.company:
        daily = daily.filter(company=filters.company)
    return daily


def _grouped(events: QuerySet, daily: QuerySet, event_key, daily_key) -> dict[Any, Counts]:
    """Views and downloads by key, from the raw events and the folded days together."""
    counts: dict[Any, Counts] = defaultdict(Counts)
    for row in (
        events.order_by().annotate(key=event_key).values("key", "kind").annotate(n=Count("pk"))
    ):
        counts[row["key"]].add(row["kind"], row["n"])
    for row in (
        daily.order_by().annotate(key=daily_key).values("key", "kind").annotate(n=Sum("count"))
    ):
        counts[row["key"]].add(row["kind"], row["n"])
    return counts


def _by_total(counts: dict[Any, Counts]) -> list[tuple[Any, Counts]]:
    return sorted(counts.items(), key=lambda item: (-item[1].total, str(item[0])))


def provider_analytics(
    provider: Provider, filters: AnalyticsFilters, *, now: datetime | None = None
) -> Analytics:
    """The counts of ``provider``'s reading for ``filters``: totals, per day (every day of
    the period, none left out), per version (newest first), per document, top companies."""
    start, end = period(filters.days, now=now)
    events = read_events(provider, filters, now=now)
    daily = _read_daily(provider, filters, now=now)

    by_day = _grouped(events, daily, TruncDate("at"), F("day"))
    per_day = [(start + timedelta(days=n), Counts()) for n in range((end - start).days + 1)]
    for day, counts in per_day:
        found = by_day.get(day)
        if found:
            counts.views, counts.downloads = found.views, found.downloads
    totals = Counts()
    for counts in by_day.values():
        totals.views += counts.views
        totals.downloads += counts.downloads

    by_version = _grouped(events, daily, F("version_number"), F("version_number"))
    by_company = _grouped(
        events.exclude(company=""), daily.exclude(company=""), F("company"), F("company")
    )
    return Analytics(
        start=start,
        end=end,
        filters=filters,
        totals=totals,
        readers=events.exclude(reader="").values("reader").distinct().count(),
        companies=len(by_company),
        per_day=per_day,
        per_version=sorted(by_version.items(), key=lambda item: -(item[0] or 0)),
        per_document=_by_total(_grouped(events, daily, F("document"), F("document"))),
        per_company=_by_total(by_company)[:TOP_COMPANIES],
    )


def companies_seen(provider: Provider) -> list[str]:
    """The companies whose readers read ``provider`` (raw and folded), for the filter."""
    raw = ReadEvent.objects.filter(provider=provider).exclude(company="")
    folded = ReadDaily.objects.filter(provider=provider).exclude(company="")
    names = set(raw.values_list("company", flat=True).distinct())
    names |= set(folded.values_list("company", flat=True).distinct())
    return sorted(names, key=str.casefold)


# The CSV export of raw events -------------------------------------------------------

CSV_COLUMNS = ["at", "reader", "company", "kind", "document", "version", "provider"]


def _csv_rows(provider: Provider, events: QuerySet[ReadEvent]) -> Iterator[list[object]]:
    for event in events.iterator(chunk_size=2000):
        yield [
            event.at.isoformat(),
            event.reader,
            event.company,
            event.kind,
            event.document,
            event.version_number,
            provider.slug,
        ]


@transaction.atomic
def events_export(
    *, actor, provider: Provider, filters: AnalyticsFilters, now: datetime | None = None
) -> Iterator[str]:
    """The raw events the filters select, as CSV lines (every cell safe from spreadsheet
    formulas). They name people: the export is audited, on the provider's trust center
    (or on the provider where it has none yet)."""
    events = read_events(provider, filters, now=now)
    trust_export_audit(
        actor=actor,
        provider=provider,
        what="Reading events",
        after={**filters.as_params(), "rows": events.count()},
    )
    return csv_lines(CSV_COLUMNS, _csv_rows(provider, events))


# Retention ----------------------------------------------------------------------------

FOLD_KEY = ("provider_id", "version_number", "document", "kind", "company")


def events_fold(*, now: datetime | None = None) -> int:
    """Fold the reading events of the days past ``TRUST_EVENTS_KEEP_DAYS`` into daily counts
    (added to the counts already folded) and delete them; one transaction per day, which
    records in the audit log how many of each provider's events went.

    Whole days go: an event is kept until its whole day is older than the setting, so
    none is kept less long. Returns how many events were folded.
    """
    today = timezone.localdate(now or timezone.now())
    boundary = _midnight(today - timedelta(days=settings.TRUST_EVENTS_KEEP_DAYS))
    days = (
        ReadEvent.objects.filter(at__lt=boundary)
        .annotate(day=TruncDate("at"))
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()
    )
    folded = 0
    for day in list(days):
        folded += _fold_day(day, until=boundary)
    return folded


@transaction.atomic
def _fold_day(day: date, *, until: datetime) -> int:
    events = ReadEvent.objects.filter(
        at__gte=_midnight(day), at__lt=min(_midnight(day + timedelta(days=1)), until)
    )
    groups = list(events.order_by().values(*FOLD_KEY).annotate(n=Count("pk")))
    if not groups:
        return 0
    providers = {group["provider_id"] for group in groups}
    existing = {
        tuple(getattr(row, name) for name in FOLD_KEY): row
        for row in ReadDaily.objects.select_for_update().filter(day=day, provider_id__in=providers)
    }
    added, changed = [], []
    for group in groups:
        key = tuple(group[name] for name in FOLD_KEY)
        row = existing.get(key)
        if row is None:
            added.append(
                ReadDaily(day=day, count=group["n"], **{name: group[name] for name in FOLD_KEY})
            )
        else:
            row.count += group["n"]
            changed.append(row)
    ReadDaily.objects.bulk_create(added)
    ReadDaily.objects.bulk_update(changed, ["count"])
    deleted, _ = events.delete()
    folded: dict[int, int] = defaultdict(int)
    for group in groups:
        folded[group["provider_id"]] += group["n"]
    for provider in Provider.objects.filter(pk__in=folded).order_by("pk"):
        audit_change(
            trust_audit_subject(provider),
            AuditAction.DELETE,
            actor=None,
            label=f"Reading events of {provider.name} on {day:%Y-%m-%d} folded into daily counts",
            after={"day": day.isoformat(), "events": folded[provider.pk]},
            reason=f"kept {settings.TRUST_EVENTS_KEEP_DAYS} days (TRUST_EVENTS_KEEP_DAYS)",
        )
    return deleted
