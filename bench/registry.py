"""Benchmark of the enterprise registry on PostgreSQL: import, export and the list page.

    DATABASE_URL=postgres://root@127.0.0.1:5432/registry_work .venv/bin/python bench/registry.py

Runs against DATABASE_URL (PostgreSQL only; it migrates it and seeds the demo city's tree and
users), creates its own rows and removes them afterwards. It measures:

* import of N rows from .xlsx through the page's code path (``build_plan`` + ``apply_plan``,
  history included), against PostgreSQL ``COPY`` of the same rows into the table (the floor);
* export of N rows to .xlsx through the list's export path (``filtered_enterprises`` +
  ``write_export``), against ``COPY (SELECT …) TO STDOUT`` of the same rows;
* peak resident memory (RSS, sampled) of the export at 10k/50k/100k rows;
* the list page's first page with --list-rows enterprises: p50/p95 over --requests requests.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
BENCH_PREFIX = "基准导入"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="rows to import and export (default 100000)")
    parser.add_argument("--list-rows", type=int, default=50_000, help="enterprises behind the list page (50000)")
    parser.add_argument("--requests", type=int, default=60, help="list-page requests measured after warm-up (60)")
    parser.add_argument(
        "--memory-points", default="10000,50000,100000", help="export sizes for the memory profile (comma list)"
    )
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-list", action="store_true")
    return parser.parse_args()


def setup_django():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/registry.py needs DATABASE_URL pointing at PostgreSQL (e.g. postgres://root@127.0.0.1:5432/x).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqi.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Only the parts the registry needs (the demo tree, departments and users), so the benchmark
    # does not depend on other modules' demo data.
    import random

    from django.db import transaction

    from lianqi.core.management.commands.seed_demo import DEMO_PASSWORD, DemoContext

    context = DemoContext(scale=0, password=DEMO_PASSWORD, stdout=open(os.devnull, "w"), rng=random.Random(1))  # noqa: SIM115
    for app in ("jurisdictions", "departments", "accounts"):
        with transaction.atomic():
            __import__(f"lianqi.{app}.demo", fromlist=["seed"]).seed(context)


def rows_for(count: int):
    """Rows of the import template (Chinese headers), spread over the demo streets."""
    from lianqi.enterprises import credit_code
    from lianqi.jurisdictions.models import Jurisdiction

    streets = list(Jurisdiction.objects.filter(level=3).order_by("code").values_list("code", flat=True))
    industries = ["261", "143", "342", "171", "543", "471", "271", "277"]
    tiers = ["重大", "较大", "一般", "低"]
    header = [
        "统一社会信用代码",
        "企业名称",
        "地址",
        "属地区划代码",
        "行业代码",
        "规模",
        "风险等级",
        "状态",
        "法定代表人",
        "安全负责人",
        "安全负责人电话",
        "从业人数",
        "重点企业",
        "危险化学品",
        "纬度",
        "经度",
    ]
    data = []
    for i in range(count):
        street = streets[i % len(streets)]
        data.append(
            [
                credit_code.make(f"92{street[:6]}{700_000_000 + i:09d}"),
                f"{BENCH_PREFIX}{['化工', '食品', '机械', '纺织', '物流', '建筑', '制药', '口罩'][i % 8]}有限公司{i}",
                f"江川市工业路{i % 500}号",
                street,
                industries[i % len(industries)],
                "规上" if i % 3 == 0 else "规下",
                tiers[i % 4],
                "在营",
                "张三",
                "李四",
                f"139{i:08d}",
                10 + i % 900,
                "是" if i % 10 == 0 else "否",
                "否",
                f"{34.6 + (i % 3000) / 10000:.6f}",
                f"{113.5 + (i % 3100) / 10000:.6f}",
            ]
        )
    return header, data


def write_xlsx(path, header, data):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in data:
        sheet.append(row)
    workbook.save(path)


def cleanup():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM enterprises_historicalenterprise WHERE name LIKE %s", [BENCH_PREFIX + "%"])
        cursor.execute("DELETE FROM enterprises_enterprise WHERE name LIKE %s", [BENCH_PREFIX + "%"])
    connection.commit() if not connection.get_autocommit() else None


def copy_floor(header, data) -> float:
    """COPY the same rows into the table (no checks, no history): the physical floor."""
    from django.db import connection
    from django.utils import timezone

    from lianqi.enterprises.models import pinyin_initials  # noqa: F401 - same table, no derived fields
    from lianqi.jurisdictions.models import Jurisdiction

    nodes = dict(Jurisdiction.objects.values_list("code", "pk"))
    now = timezone.now()
    columns = [
        "credit_code",
        "name",
        "name_initials",
        "address",
        "jurisdiction_id",
        "industry_id",
        "scale",
        "risk_tier",
        "status",
        "legal_representative",
        "legal_representative_phone",
        "safety_manager",
        "safety_manager_phone",
        "contact_name",
        "contact_phone",
        "headcount",
        "is_key",
        "hazardous_chemicals",
        "key_fire_unit",
        "high_risk_work",
        "material_producer",
        "latitude",
        "longitude",
        "created_at",
        "updated_at",
    ]
    risk = {"重大": "major", "较大": "high", "一般": "general", "低": "low"}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        sql = f"COPY enterprises_enterprise ({', '.join(columns)}) FROM STDIN"
        with raw.copy(sql) as copy:
            for r in data:
                copy.write_row(
                    [
                        r[0],
                        r[1],
                        "",
                        r[2],
                        nodes[r[3]],
                        r[4],
                        "above" if r[5] == "规上" else "below",
                        risk[r[6]],
                        "operating",
                        r[8],
                        "",
                        r[9],
                        r[10],
                        "",
                        "",
                        r[11],
                        r[12] == "是",
                        False,
                        False,
                        False,
                        False,
                        r[14],
                        r[15],
                        now,
                        now,
                    ]
                )
    elapsed = time.perf_counter() - started
    cleanup()
    return elapsed


def bench_import(args, office, report):
    from lianqi.enterprises.importing import apply_plan, build_plan

    header, data = rows_for(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        write_xlsx(path, header, data)
        size = path.stat().st_size
        cleanup()
        floor = copy_floor(header, data)
        started = time.perf_counter()
        with open(path, "rb") as fileobj:
            plan = build_plan(fileobj, "bench.xlsx", actor=office)
        checked = time.perf_counter()
        assert plan.ok, plan.summary()["errors"][:5]
        result = apply_plan(plan, actor=office)
        total = time.perf_counter() - started
    report["import"] = {
        "rows": args.rows,
        "file_mb": round(size / 1e6, 1),
        "check_s": round(checked - started, 1),
        "write_s": round(total - (checked - started), 1),
        "total_s": round(total, 1),
        "copy_s": round(floor, 2),
        "ratio": round(total / floor, 1),
        "result": result,
    }
    print(f"import: {report['import']}", flush=True)


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


class RssSampler:
    """Peak resident memory while the block runs (sampled every 20 ms by a thread)."""

    def __enter__(self):
        import threading

        self.before_mb = round(rss_mb(), 1)
        self.peak_mb = self.before_mb
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak_mb = max(self.peak_mb, round(rss_mb(), 1))

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def export_queryset(office, limit=None):
    from django.http import QueryDict

    from lianqi.enterprises.exporting import filtered_enterprises

    queryset, _ = filtered_enterprises(office, QueryDict(f"q={BENCH_PREFIX}"))
    return queryset[:limit] if limit else queryset


def bench_export(args, office, report):
    from django.db import connection

    from lianqi.enterprises.exporting import write_export

    queryset = export_queryset(office)
    count = queryset.count()
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        written = write_export(target, queryset, "xlsx")
        elapsed = time.perf_counter() - started
        size = target.tell()
    with connection.cursor() as cursor:
        sql = (
            "COPY (SELECT e.*, j.code, j.name_zh, i.name_zh FROM enterprises_enterprise e "
            "JOIN jurisdictions_jurisdiction j ON j.id = e.jurisdiction_id "
            "JOIN industries_industry i ON i.code = e.industry_id WHERE e.name LIKE %s) TO STDOUT"
        )
        started = time.perf_counter()
        copied = 0
        with cursor.cursor.copy(sql.replace("%s", "'" + BENCH_PREFIX + "%'")) as copy:
            for block in copy:
                copied += len(block)
        floor = time.perf_counter() - started
    report["export"] = {
        "rows": written,
        "visible": count,
        "file_mb": round(size / 1e6, 1),
        "total_s": round(elapsed, 1),
        "copy_s": round(floor, 2),
        "ratio": round(elapsed / floor, 1),
    }
    print(f"export: {report['export']}", flush=True)
    memory = []
    with tempfile.TemporaryFile() as target:  # warm-up: imports and caches are not the export's growth
        write_export(target, export_queryset(office, 1000), "xlsx")
    for point in [int(p) for p in args.memory_points.split(",") if p]:
        sampler = RssSampler()
        with sampler, tempfile.TemporaryFile() as target:
            started = time.perf_counter()
            write_export(target, export_queryset(office, point), "xlsx")
            elapsed = time.perf_counter() - started
        memory.append(
            {
                "rows": point,
                "seconds": round(elapsed, 1),
                "rss_before_mb": sampler.before_mb,
                "peak_rss_mb": sampler.peak_mb,
                "growth_mb": round(sampler.peak_mb - sampler.before_mb, 1),
            }
        )
        print(f"export memory: {memory[-1]}", flush=True)
    report["export_memory"] = memory


def bench_list(args, office, report):
    from django.db import connection
    from django.test import Client

    from lianqi.enterprises.models import Enterprise

    have = Enterprise.objects.filter(name__startswith=BENCH_PREFIX).count()
    if have < args.list_rows:
        header, data = rows_for(args.list_rows)
        cleanup()
        copy_floor_keep(data)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)
    visible = Enterprise.objects.visible_to(office).count()
    for _ in range(5):
        assert client.get("/enterprises/").status_code == 200
    timings = {}
    for label, query in [("first page", ""), ("search + filter", "?q=化工&risk_tier=high"), ("page 200", "?page=200")]:
        samples = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get("/enterprises/" + query)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        samples.sort()
        timings[label] = {
            "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
        }
    report["list"] = {"enterprises_visible": visible, "requests": args.requests, **timings}
    print(f"list: {report['list']}", flush=True)


def copy_floor_keep(data):
    """Insert rows with COPY and keep them (data for the list page)."""
    from django.db import connection
    from django.utils import timezone

    from lianqi.jurisdictions.models import Jurisdiction

    nodes = dict(Jurisdiction.objects.values_list("code", "pk"))
    now = timezone.now()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY enterprises_enterprise (credit_code, name, name_initials, address, jurisdiction_id, industry_id, scale,"
            " risk_tier, status, legal_representative, legal_representative_phone, safety_manager, safety_manager_phone,"
            " contact_name, contact_phone, is_key, hazardous_chemicals, key_fire_unit, high_risk_work,"
            " material_producer, created_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        tiers = {"重大": "major", "较大": "high", "一般": "general", "低": "low"}
        for r in data:
            copy.write_row(
                [
                    r[0],
                    r[1],
                    "jzdr",
                    r[2],
                    nodes[r[3]],
                    r[4],
                    "below",
                    tiers[r[6]],
                    "operating",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    r[12] == "是",
                    False,
                    False,
                    False,
                    False,
                    now,
                    now,
                ]
            )


def main():
    args = parse_args()
    setup_django()
    from lianqi.accounts.models import User

    office = User.objects.get(username="office")  # the demo city's command office: sees the whole city
    report = {
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    }
    try:
        if not args.skip_import:
            bench_import(args, office, report)
        if not args.skip_export:
            if not args.skip_import:
                pass  # the imported rows are the export's rows
            else:
                header, data = rows_for(args.rows)
                cleanup()
                copy_floor_keep(data)
            bench_export(args, office, report)
        if not args.skip_list:
            cleanup()
            bench_list(args, office, report)
    finally:
        cleanup()
    print(report)


if __name__ == "__main__":
    main()
