"""The resumption rates leaders read, defined once and computed two ways that must agree.

Every figure is a ratio of *sums* over (day × tracked enterprise) — which is why it can be read
from the per-(day, jurisdiction node, industry division) rollup table just as well as from the
base tables. ``counts(..., source="raw")`` runs one SQL statement over ``TrackedPeriod``,
``Enterprise`` and ``DailyReport``; ``source="rollup"`` sums :class:`DailyRollup` rows. Both
return the same :class:`Counts`, and :func:`rates` turns counts into percentages. Over a period
of several days the sums run over every (day, enterprise) pair, so a period's rate is the mean
of the daily rates weighted by the number of enterprises tracked each day.

Definitions (shown on every page next to the figure, see ``DEFINITIONS``):

* tracked — enterprises expected to report that day (a tracked period covers the day);
* resumption rate — tracked enterprises whose report says "resumed" ÷ tracked enterprises
  (an enterprise that did not report counts as not resumed);
* staff return rate — staff on post ÷ total staff, summed over the reports;
* capacity recovery (mean) — mean of the reported capacity utilisation;
* capacity recovery (output-weighted) — Σ(capacity × output value) ÷ Σ output value, over the
  reports that give an output value;
* ≥ 90 % staffed — reports with staff on post ≥ 90 % of total (and total > 0) ÷ reports;
* ≥ 80 % capacity — reports with capacity ≥ 80 % ÷ reports;
* key-project resumption — resumed key enterprises ÷ tracked key enterprises;
* reporting rate — reports received ÷ tracked (DHIS2's "reporting rate");
* on-time rate — reports received by the due hour ÷ tracked (DHIS2's "reporting rate on time").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.replica import primary_reads, read_connection

from .models import DailyRollup, RollupDay

COUNT_FIELDS = (
    "tracked",
    "reported",
    "on_time",
    "resumed",
    "staff_total",
    "staff_on_post",
    "capacity_count",
    "capacity_sum",
    "output_sum",
    "capacity_output_sum",
    "staffed_90",
    "capacity_80",
    "key_tracked",
    "key_resumed",
)
DECIMAL_PLACES = {"capacity_sum": 1, "output_sum": 2, "capacity_output_sum": 3}

RATE_KEYS = (
    "resumption_rate",
    "staff_return_rate",
    "capacity_mean",
    "capacity_weighted",
    "staffed_90_share",
    "capacity_80_share",
    "key_resumption_rate",
    "reporting_rate",
    "on_time_rate",
)

LABELS = {
    "tracked": _("Tracked enterprises"),
    "resumption_rate": _("Enterprise resumption rate"),
    "staff_return_rate": _("Staff return rate"),
    "capacity_mean": _("Capacity recovery (mean)"),
    "capacity_weighted": _("Capacity recovery (output-weighted)"),
    # xgettext:no-python-format
    "staffed_90_share": _("Enterprises ≥ 90 % staffed"),
    # xgettext:no-python-format
    "capacity_80_share": _("Enterprises ≥ 80 % capacity"),
    "key_resumption_rate": _("Key-project resumption"),
    "reporting_rate": _("Reporting rate"),
    "on_time_rate": _("On-time rate"),
}
DEFINITIONS = {
    "tracked": _("Enterprises expected to report that day under the tracking rules (closed ones leave the day after)."),
    "resumption_rate": _(
        "Tracked enterprises whose report says they have resumed work ÷ tracked enterprises. "
        "An enterprise without a report counts as not resumed."
    ),
    "staff_return_rate": _("Staff on post ÷ total staff, summed over the reports received."),
    "capacity_mean": _("Mean of the capacity utilisation the reports give."),
    "capacity_weighted": _(
        "Σ (capacity utilisation × output value) ÷ Σ output value, over the reports that give an output value: "
        "large producers count for more."
    ),
    # xgettext:no-python-format
    "staffed_90_share": _("Reports with staff on post at least 90 % of total staff ÷ reports received."),
    # xgettext:no-python-format
    "capacity_80_share": _("Reports with capacity utilisation of at least 80 % ÷ reports received."),
    "key_resumption_rate": _("Key enterprises (projects) that have resumed ÷ tracked key enterprises."),
    "reporting_rate": _("Reports received ÷ tracked enterprises (late reports included)."),
    "on_time_rate": _("Reports received by the due hour ÷ tracked enterprises."),
}
PERIOD_NOTE = _(
    "Over several days every figure sums enterprise-days: the mean of the daily rates weighted by the "
    "number of enterprises tracked each day."
)


@dataclass
class Counts:
    tracked: int = 0
    reported: int = 0
    on_time: int = 0
    resumed: int = 0
    staff_total: int = 0
    staff_on_post: int = 0
    capacity_count: int = 0
    capacity_sum: Decimal = Decimal(0)
    output_sum: Decimal = Decimal(0)
    capacity_output_sum: Decimal = Decimal(0)
    staffed_90: int = 0
    capacity_80: int = 0
    key_tracked: int = 0
    key_resumed: int = 0

    @classmethod
    def from_values(cls, values) -> Counts:
        return cls(**{name: _normalise(name, value) for name, value in zip(COUNT_FIELDS, values, strict=True)})

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in COUNT_FIELDS}


def _normalise(name, value):
    if value is None:
        value = 0
    places = DECIMAL_PLACES.get(name)
    if places is None:
        return int(value)
    # SQLite sums decimals as floats: quantise so both stores give the very same number.
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _pct(part, whole):
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def rates(c: Counts) -> dict:
    """The figures of one set of counts: percentages to one decimal, None where undefined."""
    return {
        "tracked": c.tracked,
        "reported": c.reported,
        "on_time": c.on_time,
        "resumed": c.resumed,
        "staff_total": c.staff_total,
        "staff_on_post": c.staff_on_post,
        "resumption_rate": _pct(c.resumed, c.tracked),
        "staff_return_rate": _pct(c.staff_on_post, c.staff_total),
        "capacity_mean": _pct(c.capacity_sum, c.capacity_count * 100) if c.capacity_count else None,
        "capacity_weighted": _pct(c.capacity_output_sum, c.output_sum * 100) if c.output_sum else None,
        "staffed_90_share": _pct(c.staffed_90, c.reported),
        "capacity_80_share": _pct(c.capacity_80, c.reported),
        "key_resumption_rate": _pct(c.key_resumed, c.key_tracked),
        "reporting_rate": _pct(c.reported, c.tracked),
        "on_time_rate": _pct(c.on_time, c.tracked),
    }


# --- Raw SQL over the base tables -------------------------------------------------------------

_AGGREGATES = """
    COUNT(*),
    COUNT(r.id),
    SUM(CASE WHEN r.id IS NULL THEN 0 WHEN r.late THEN 0 ELSE 1 END),
    SUM(CASE WHEN r.resumed THEN 1 ELSE 0 END),
    SUM(r.staff_total),
    SUM(r.staff_on_post),
    COUNT(r.capacity_pct),
    SUM(r.capacity_pct),
    SUM(r.output_value),
    SUM(r.capacity_pct * r.output_value),
    SUM(CASE WHEN r.staff_total > 0 AND 10 * r.staff_on_post >= 9 * r.staff_total THEN 1 ELSE 0 END),
    SUM(CASE WHEN r.capacity_pct >= 80 THEN 1 ELSE 0 END),
    SUM(CASE WHEN e.is_key THEN 1 ELSE 0 END),
    SUM(CASE WHEN e.is_key AND r.resumed THEN 1 ELSE 0 END)
"""


def _days_sql(dates) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::date[]) AS day", [list(dates)]
    parts = " UNION ALL ".join(["SELECT %s AS day"] * len(dates))
    return parts, [d.isoformat() for d in dates]


def raw_cells(dates, *, path: str | None = None, jurisdiction_id=None, division: str | None = None):
    """Counts per (day, jurisdiction id, jurisdiction path, division) straight from the base
    tables: one statement. Rows: ``(day, jurisdiction_id, path, division, Counts)``."""
    dates = sorted(set(dates))
    if not dates:
        return []
    days, params = _days_sql(dates)
    where, extra = [], []
    if path:
        where.append("j.path LIKE %s")
        extra.append(path + "%")
    if jurisdiction_id is not None:
        where.append("e.jurisdiction_id = %s")
        extra.append(jurisdiction_id)
    if division is not None:
        where.append("substr(e.industry_id, 1, 2) = %s")
        extra.append(division)
    sql = f"""
        SELECT d.day, e.jurisdiction_id, j.path, substr(e.industry_id, 1, 2) AS division, {_AGGREGATES}
        FROM ({days}) d
        JOIN reporting_trackedperiod t ON t.start <= d.day AND (t."end" IS NULL OR t."end" >= d.day)
        JOIN enterprises_enterprise e ON e.id = t.enterprise_id
        JOIN jurisdictions_jurisdiction j ON j.id = e.jurisdiction_id
        LEFT JOIN reporting_dailyreport r ON r.enterprise_id = t.enterprise_id AND r.date = d.day
        {"WHERE " + " AND ".join(where) if where else ""}
        GROUP BY d.day, e.jurisdiction_id, j.path, substr(e.industry_id, 1, 2)
    """  # noqa: S608 - only fixed fragments are interpolated; values are parameters
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params + extra)
        result = []
        for day, jurisdiction, jpath, div, *values in cursor.fetchall():
            if isinstance(day, str):
                day = datetime.date.fromisoformat(day)
            result.append((day, jurisdiction, jpath, div, Counts.from_values(values)))
    return result


# --- Rollups ------------------------------------------------------------------------------------


def build_days(dates, *, chunk: int = 31) -> int:
    """(Re)build every rollup cell of ``dates`` from the base tables, a month of days per
    statement; returns the number of cells written."""
    days = sorted(set(dates))
    written = 0
    for index in range(0, len(days), chunk):
        part = days[index : index + chunk]
        cells = raw_cells(part)
        now = timezone.now()
        with transaction.atomic():
            DailyRollup.objects.filter(date__in=part).delete()
            DailyRollup.objects.bulk_create(
                [
                    DailyRollup(date=d, jurisdiction_id=jid, jurisdiction_path=jpath, division=div, **counts.as_dict())
                    for d, jid, jpath, div, counts in cells
                ],
                batch_size=2000,
            )
            RollupDay.objects.filter(date__in=part).delete()
            RollupDay.objects.bulk_create([RollupDay(date=d, built_at=now) for d in part])
        written += len(cells)
    return written


def ensure_built(date_from: datetime.date, date_to: datetime.date) -> None:
    """Build the days of the range (up to today) that have no rollup yet (on the primary, even
    when the caller reads from a replica: the rows written here are what it reads next)."""
    today = timezone.localdate()
    last = min(date_to, today)
    if last < date_from:
        return
    wanted = {date_from + datetime.timedelta(days=i) for i in range((last - date_from).days + 1)}
    with primary_reads():
        built = set(RollupDay.objects.filter(date__gte=date_from, date__lte=last).values_list("date", flat=True))
        missing = wanted - built
        if missing:
            build_days(missing)


def invalidate_from(day: datetime.date) -> None:
    """Tracking changed from ``day`` on: those days are rebuilt on their next read."""
    RollupDay.objects.filter(date__gte=day).delete()


def refresh_cell(day: datetime.date, enterprise) -> None:
    """After a report for ``enterprise`` on ``day`` is saved: recompute its cell, inside the
    caller's transaction. The cell row is locked *before* the counts are read, so of two
    reports committed at once the second recomputation sees both (READ COMMITTED)."""
    if not RollupDay.objects.filter(date=day).exists():
        return  # the whole day is built on first read
    jurisdiction = enterprise.jurisdiction
    division = (enterprise.industry_id or "")[:2]
    DailyRollup.objects.bulk_create(
        [
            DailyRollup(
                date=day, jurisdiction_id=jurisdiction.pk, jurisdiction_path=jurisdiction.path, division=division
            )
        ],
        ignore_conflicts=True,
    )
    cell = DailyRollup.objects.select_for_update().get(date=day, jurisdiction_id=jurisdiction.pk, division=division)
    rows = raw_cells([day], jurisdiction_id=jurisdiction.pk, division=division)
    counts = rows[0][4] if rows else Counts()
    for name, value in counts.as_dict().items():
        setattr(cell, name, value)
    cell.jurisdiction_path = jurisdiction.path
    cell.save()


def rollup_cells(date_from, date_to, *, path: str | None = None, divisions=None, by: str | None = None):
    """Rollup rows of the range summed in SQL by what ``by`` needs: (day) for "date",
    (division) for "industry", (node path) for "jurisdiction", nothing for the total. Rows come
    back in the shape of :func:`raw_cells` with the unused keys set to None."""
    ensure_built(date_from, date_to)
    queryset = DailyRollup.objects.filter(date__gte=date_from, date__lte=date_to)
    if path:
        queryset = queryset.filter(jurisdiction_path__startswith=path)
    if divisions:
        queryset = queryset.filter(division__in=divisions)
    keys = {"date": ["date"], "industry": ["division"], "jurisdiction": ["jurisdiction_path"]}.get(by, [])
    sums = {name: Sum(name) for name in COUNT_FIELDS}
    rows = queryset.values(*keys).annotate(**sums).order_by() if keys else [queryset.aggregate(**sums)]
    result = []
    for row in rows:
        if not keys and row["tracked"] is None:
            continue
        counts = Counts.from_values([row[name] for name in COUNT_FIELDS])
        result.append((row.get("date"), None, row.get("jurisdiction_path"), row.get("division"), counts))
    return result


# --- Reading: grouped counts and rates -----------------------------------------------------------


def _key(by: str | None, node_path: str, depth: int):
    if by == "date":
        return lambda day, jpath, div: day
    if by == "industry":
        return lambda day, jpath, div: div
    if by == "jurisdiction":
        # The child of the node the cell lies under ("" for the node's own enterprises).
        def child(day, jpath, div):
            parts = jpath[len(node_path) :].split("/")
            return node_path + parts[0] + "/" if len(parts) > 1 and parts[0] else node_path

        return child
    return lambda day, jpath, div: None


def grouped_counts(
    date_from, date_to, *, path: str = "", by: str | None = None, divisions=None, source: str = "rollup"
) -> dict:
    """``{group: Counts}`` for the subtree at ``path`` over the period; ``by`` is None (one
    group), "date", "industry" (division) or "jurisdiction" (children of the node)."""
    if source == "raw":
        days = [date_from + datetime.timedelta(days=i) for i in range((date_to - date_from).days + 1)]
        cells = raw_cells(days, path=path or None)
        if divisions:
            cells = [c for c in cells if c[3] in divisions]
    else:
        cells = rollup_cells(date_from, date_to, path=path or None, divisions=divisions, by=by)
    key = _key(by, path, path.count("/"))
    groups: dict = {}
    for day, _jid, jpath, div, counts in cells:
        groups.setdefault(key(day, jpath, div), Counts()).add(counts)
    return groups


def resumption(node, date_from, date_to, *, by: str | None = None, divisions=None, source: str = "rollup") -> dict:
    """Rates of ``node``'s subtree: ``{"total": {...}, "groups": {key: {...}}}``. Days after
    today have no figures yet: the period stops at today."""
    path = node.path if node is not None else ""
    date_to = min(date_to, timezone.localdate())
    if date_to < date_from:
        return {"total": rates(Counts()), "groups": {}}
    groups = grouped_counts(date_from, date_to, path=path, by=by, divisions=divisions, source=source)
    total = Counts()
    for counts in groups.values():
        total.add(counts)
    return {"total": rates(total), "groups": {k: rates(v) for k, v in groups.items()} if by else {}}
