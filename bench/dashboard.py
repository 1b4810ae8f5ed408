"""Benchmark of the leader dashboard and bulletins on PostgreSQL (issue 8).

    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_dashboard .venv/bin/python bench/dashboard.py

Builds (once; ``--regenerate`` to start again) a city of --enterprises enterprises (the demo's
tree), every one tracked for --days days, with daily reports for each (about 1.5 % missing, 8 %
late; loaded with COPY), --hazards hidden hazards (COPY) and the rollups (``rebuild_rollups``).
--appeals appeals (COPY).

Then it measures, each over --requests requests after a warm-up:

* the city dashboard and a district dashboard rendered through Django's test client
  (middleware, scoping, templates, every query): p50 / p95;
* the raw SQL that computes the same resumption figures from the base tables (today by
  jurisdiction, today by industry, the 30-day trend: ``rates.resumption(..., source="raw")``),
  and the same figures from the rollups, so the report can give the ratio;
* a half-year bulletin (PDF + xlsx) of the city.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--hazards", type=int, default=200_000)
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--regenerate", action="store_true", help="drop the generated data and build it again")
    return parser.parse_args()


def setup_django():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/dashboard.py needs DATABASE_URL pointing at PostgreSQL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqi.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LIANQI_TESTING", "false")
    import django

    django.setup()


def loadavg() -> list[str]:
    return Path("/proc/loadavg").read_text().split()[:3]


def copy_rows(model, columns, rows) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``model``'s table."""
    from django.db import connection

    table = model._meta.db_table
    names = ", ".join(f'"{model._meta.get_field(c).column}"' for c in columns)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def generate(args, log):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from lianqi.core.management.commands.seed_demo import DemoContext
    from lianqi.enterprises.demo import seed_scale
    from lianqi.enterprises.models import Enterprise
    from lianqi.hazards.models import Hazard
    from lianqi.jurisdictions.models import Jurisdiction
    from lianqi.reporting.models import DailyReport, TrackedPeriod, TrackingRule

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("seed_demo", stdout=io.StringIO())
    log(f"seed_demo (tree, users, 300 demo enterprises, each app's demo data): {time.monotonic() - started:.0f} s")

    missing = args.enterprises - Enterprise.objects.count()
    if missing > 0:
        t = time.monotonic()
        streets = list(Jurisdiction.objects.filter(level=3).order_by("path"))
        rng = random.Random(8)  # noqa: S311 - benchmark data
        context = DemoContext(scale=missing, password="demo", stdout=io.StringIO(), rng=rng)  # noqa: S106
        context.objects["streets"] = streets
        seed_scale(context, missing)
        log(f"{missing} enterprises (bulk insert with history): {time.monotonic() - t:.0f} s")

    today = timezone.localdate()
    start = today - datetime.timedelta(days=args.days - 1)
    t = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reporting_dailyreport, reporting_trackedperiod, reporting_dailyrollup, reporting_rollupday"
        )
    TrackingRule.objects.all().delete()
    rule = TrackingRule.objects.create(
        name="基准：全部企业", jurisdiction=Jurisdiction.objects.get(level=1), start=start, include_suspended=True
    )
    rng = random.Random(20200220)  # noqa: S311 - benchmark data
    enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "headcount", "is_key"))
    ended = {}
    for pk, _h, _k in enterprises:
        if rng.random() < 0.01:  # some closed during the half-year
            ended[pk] = start + datetime.timedelta(days=rng.randint(10, args.days - 2))
    copy_rows(
        TrackedPeriod,
        ["enterprise", "rule", "start", "end"],
        ((pk, rule.pk, start, ended.get(pk)) for pk, _h, _k in enterprises),
    )
    log(f"{len(enterprises)} tracked periods (COPY): {time.monotonic() - t:.1f} s")

    t = time.monotonic()
    tz = timezone.get_current_timezone()

    def reports():
        for pk, headcount, key in enterprises:
            total = headcount or 50
            last = ended.get(pk, today)
            for index in range(args.days):
                day = start + datetime.timedelta(days=index)
                if day > last or rng.random() < 0.015:
                    continue
                progress = 0.5 + 0.45 * index / max(args.days - 1, 1)
                resumed = rng.random() < progress + (0.1 if key else 0)
                on_post = int(total * (progress if resumed else 0.05))
                capacity = round(min(100.0, progress * 100 + rng.uniform(-15, 10)), 1) if resumed else 0.0
                late = rng.random() < 0.08
                submitted = datetime.datetime.combine(day, datetime.time(13 if late else 9), tzinfo=tz)
                yield (
                    pk, day, "enterprise", submitted, late, 0, resumed, total, on_post, 0, 0, 0,
                    capacity, "", round(total * capacity / 400, 2), None, 7.0, 10.0, 60.0, "", "",
                    submitted, submitted,
                )  # fmt: skip

    columns = [
        "enterprise", "date", "channel", "submitted_at", "late", "revisions", "resumed", "staff_total",
        "staff_on_post", "staff_returned", "staff_isolated", "abnormal_health", "capacity_pct", "capacity_note",
        "output_value", "power_load", "masks_days", "disinfectant_days", "thermometers_days", "difficulties",
        "appeal_reference", "created_at", "updated_at",
    ]  # fmt: skip
    count = copy_rows(DailyReport, columns, reports())
    log(f"{count:,} daily reports (COPY): {time.monotonic() - t:.0f} s")

    t = time.monotonic()
    Hazard.objects.filter(number__startswith="BM-").delete()
    nodes = dict(Enterprise.objects.values_list("pk", "jurisdiction_id"))
    pks = list(nodes)
    statuses = ["reported", "rectifying", "awaiting_acceptance", "returned", "closed", "closed", "closed", "dismissed"]
    now = timezone.now()

    def hazards():
        for i in range(args.hazards):
            pk = pks[i % len(pks)]
            found = now - datetime.timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 1440))
            status = rng.choice(statuses)
            deadline = (found + datetime.timedelta(days=rng.randint(7, 60))).date()
            yield (
                f"BM-{i:07d}", pk, nodes[pk], "inspection", found, "", "", "", "基准隐患", "major" if i % 20 == 0 else "general",
                "fire", "", "", deadline, deadline, "", False, found if status == "closed" else None, "", "", "", status,
                0, found, found,
            )  # fmt: skip

    hazard_columns = [
        "number", "enterprise", "jurisdiction", "source", "found_at", "reporter_name", "reporter_phone", "location",
        "description", "grade", "category", "standard_clause", "responsible_person", "deadline", "original_deadline",
        "measures", "stop_production", "closed_at", "listing_level", "listing_body", "listing_notice", "status",
        "version", "created_at", "updated_at",
    ]  # fmt: skip
    count = copy_rows(Hazard, hazard_columns, hazards())
    log(f"{count:,} hazards (COPY): {time.monotonic() - t:.0f} s")

    t = time.monotonic()
    from lianqi.appeals.models import Appeal

    Appeal.objects.filter(number__startswith="BMSQ-").delete()
    types_ = ["raw_materials", "staff", "capital", "transport", "sales", "policy", "other"]
    appeal_statuses = ["submitted", "assigned", "in_progress", "replied", "closed", "closed", "closed"]

    def appeals():
        for i in range(args.appeals):
            pk = pks[(i * 7) % len(pks)]
            raised = now - datetime.timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 1440))
            status = rng.choice(appeal_statuses)
            due = (raised + datetime.timedelta(days=rng.choice([1, 3, 3, 15]))).date()
            answered = raised + datetime.timedelta(days=rng.randint(0, 10)) if status in ("replied", "closed") else None
            yield (
                raised, raised, f"BMSQ-{i:07d}", pk, nodes[pk], "portal", rng.choice(types_), "normal", "基准诉求",
                "基准诉求", False, due, "", "答复", answered, rng.randint(3, 5) if status == "closed" else None, "",
                status, 0,
            )  # fmt: skip

    appeal_columns = [
        "created_at", "updated_at", "number", "enterprise", "jurisdiction", "channel", "appeal_type", "urgency",
        "title", "description", "is_complex", "due_date", "extension_reason", "reply", "replied_at", "rating",
        "rating_comment", "status", "version",
    ]  # fmt: skip
    count = copy_rows(Appeal, appeal_columns, appeals())
    log(f"{count:,} appeals (COPY): {time.monotonic() - t:.0f} s")

    t = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("rebuild_rollups", stdout=io.StringIO())
    # What autovacuum does to a table after bulk inserts (PostgreSQL 13+ vacuums insert-only
    # tables too): without the visibility map, "who has not reported today" reads one heap page
    # per report of the day instead of the (date, enterprise) index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"rollups of {args.days} days (rebuild_rollups) + VACUUM ANALYZE: {time.monotonic() - t:.0f} s")


def timed(function, repeat, before=None):
    function()  # warm-up
    samples = []
    for _ in range(repeat):
        if before:
            before()
        t = time.perf_counter()
        function()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)]


def main():
    args = parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from lianqi.accounts.models import User
    from lianqi.jurisdictions.models import Jurisdiction
    from lianqi.reporting import rates
    from lianqi.reporting.models import DailyReport

    lines = []

    def log(message):
        print(message, flush=True)
        lines.append(message)

    log(f"load average before: {loadavg()}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from lianqi.enterprises.models import Enterprise

    expected = args.enterprises * args.days * 0.9
    if args.regenerate or Enterprise.objects.count() < args.enterprises or DailyReport.objects.count() < expected:
        generate(args, log)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reporting_dailyreport")
        reports = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM hazards_hazard")
        hazards = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM enterprises_enterprise")
        enterprises = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM reporting_dailyrollup")
        cells = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM appeals_appeal")
        appeals = cursor.fetchone()[0]
    log(
        f"data: {enterprises:,} enterprises, {reports:,} daily reports, {hazards:,} hazards, {appeals:,} appeals, "
        f"{cells:,} rollup cells"
    )

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    leader = User.objects.get(username="leader")
    district_leader = User.objects.get(username="district_leader")
    city = Jurisdiction.objects.get(level=1)
    district = Jurisdiction.objects.get(code="419902")
    today = timezone.localdate()

    def page(user, url):
        client = Client()
        client.force_login(user)

        def get():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return get

    def raw(node):
        def run():
            rates.resumption(node, today, today, by="jurisdiction", source="raw")
            rates.resumption(node, today, today, by="industry", source="raw")
            rates.resumption(node, today - datetime.timedelta(days=29), today, by="date", source="raw")

        return run

    def rolled(node):
        def run():
            rates.resumption(node, today, today, by="jurisdiction")
            rates.resumption(node, today, today, by="industry")
            rates.resumption(node, today - datetime.timedelta(days=29), today, by="date")

        return run

    assert rates.resumption(city, today - datetime.timedelta(days=29), today, by="date") == rates.resumption(
        city, today - datetime.timedelta(days=29), today, by="date", source="raw"
    ), "rollups and raw SQL disagree"
    log("rollups and raw SQL give identical figures (city, 30 days by date)")
    n = args.requests
    for label, node, user in (("city", city, leader), ("district 东湖区", district, district_leader)):
        load = loadavg()
        from django.core.cache import cache

        p50, p95 = timed(page(user, f"/dashboard/{node.pk}/"), n)
        c50, c95 = timed(page(user, f"/dashboard/{node.pk}/"), n, before=cache.clear)
        raw50, raw95 = timed(raw(node), max(5, n // 4))
        roll50, roll95 = timed(rolled(node), n)
        log(
            f"{label}: dashboard page p50 {p50:.0f} ms, p95 {p95:.0f} ms (hazard/appeal figures cached ≤ 60 s); "
            f"cold cache p50 {c50:.0f} ms, p95 {c95:.0f} ms | resumption figures from rollups "
            f"p50 {roll50:.0f} ms | same figures by raw SQL on base tables p50 {raw50:.0f} ms, p95 {raw95:.0f} ms "
            f"| page p95 ÷ raw p50 = {p95 / raw50:.2f} | load {load}"
        )

    from lianqi.dashboards import bulletins

    start, end = bulletins.last_complete_period("half_year", today)
    start = max(start, today - datetime.timedelta(days=args.days - 1))
    end = today
    office = User.objects.get(username="office")
    load = loadavg()
    t = time.monotonic()
    bulletin = bulletins.request_bulletin(city, "half_year", start, end, actor=office)
    bulletin = bulletins.generate(bulletin.pk, send=False)
    log(
        f"half-year bulletin of the city ({start} – {end}, PDF {bulletin.pdf.size // 1024} KB + xlsx): "
        f"{time.monotonic() - t:.1f} s | load {load}"
    )
    log(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
