"""Benchmark the visit-report extractor.

Times ``extract`` on the fixture reports (median and p95 per report after a
warm-up) and "imports" N reports (the fixtures cycled and lightly varied),
then prints a small table.

    python bench/extract.py [--repeat 50] [--imports 1000] [--registry 2000] [--no-pipeline]

The last part times the product's real import path: ``lianqi.visits.drafts.import_files``
(decode → extract → match organisations, leaders and departments against the registry → store
the draft in the cache) for N report files in one upload, in a throw-away test database
(SQLite in memory, or a test copy of ``DATABASE_URL``) holding ``--registry`` enterprises.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lianqi.visits.extractor import NoVisitFound, extract  # noqa: E402

FIXTURES = ROOT / "lianqi" / "visits" / "tests" / "fixtures" / "visit_reports"


def _vary(text: str, i: int) -> str:
    """Light, deterministic variations: dates, extra whitespace, noise lines."""
    out = text
    for old, new in (
        ("8th", f"{i % 28 + 1}th"),
        ("July 21", f"July {i % 30 + 1}"),
        ("2月20日", f"2月{i % 28 + 1}日"),
        ("February 25", f"February {i % 28 + 1}"),
    ):
        out = out.replace(old, new)
    if i % 3 == 0:
        out = "Home » News\n" + out
    if i % 4 == 1:
        out = out.replace("\n", "\n\n")
    if i % 5 == 2:
        out += "\nCopyright 2020 All Rights Reserved\n"
    return out


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per fixture (default 50)")
    parser.add_argument("--imports", type=int, default=1000, help="reports in the import run (default 1000)")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="directory of .txt reports")
    parser.add_argument("--registry", type=int, default=2000, help="enterprises in the import path's registry")
    parser.add_argument("--no-pipeline", dest="pipeline", action="store_false", help="skip the import-path run")
    args = parser.parse_args(argv)

    files = sorted(args.fixtures.glob("*.txt"))
    if not files:
        parser.error(f"no .txt files in {args.fixtures}")
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}

    t0 = time.perf_counter()
    extract(next(iter(texts.values())))  # start-up: lazy resources (OpenCC tables, regexes)
    startup = time.perf_counter() - t0
    for text in texts.values():  # warm-up
        extract(text)

    rows = []
    all_times: list[float] = []
    for name, text in texts.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            extract(text)
            times.append((time.perf_counter() - t) * 1000)
        all_times.extend(times)
        rows.append((name, len(text), statistics.median(times), _pct(times, 0.95)))

    print(f"start-up (first call): {startup * 1000:.1f} ms")
    print(f"{'report':<44} {'chars':>6} {'median ms':>10} {'p95 ms':>8}")
    for name, n, med, p95 in rows:
        print(f"{name:<44} {n:>6} {med:>10.2f} {p95:>8.2f}")
    print(f"{'ALL':<44} {'':>6} {statistics.median(all_times):>10.2f} {_pct(all_times, 0.95):>8.2f}")

    base = list(texts.values())
    t = time.perf_counter()
    ok = no_visit = 0
    for i in range(args.imports):
        try:
            extract(_vary(base[i % len(base)], i))
            ok += 1
        except NoVisitFound:
            no_visit += 1
    total = time.perf_counter() - t
    print(
        f"\nimport of {args.imports} reports: {total:.2f} s total, {total / args.imports * 1000:.2f} ms/report, "
        f"{ok} extracted, {no_visit} without a visit"
    )
    if args.pipeline:
        pipeline(base, args.imports, args.registry)
    return 0


def pipeline(base: list[str], n: int, registry: int) -> None:
    """N reports through the page's import path, drafts created (nothing saved as a visit)."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqi.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _pipeline(base, n, registry)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _pipeline(base: list[str], n: int, registry: int) -> None:
    from lianqi.accounts.choices import Role
    from lianqi.accounts.models import Membership, User
    from lianqi.enterprises.tests.factories import credit_code_for
    from lianqi.industries.models import Industry
    from lianqi.jurisdictions.models import Jurisdiction
    from lianqi.visits import drafts
    from lianqi.visits.models import VisitReport

    city = Jurisdiction.objects.create(code="419900", name_zh="江川市", level=1)
    district = Jurisdiction.objects.create(code="419902", name_zh="东湖区", level=2, parent=city)
    office = User.objects.create_user("bench-office", display_name="办公室")
    Membership.objects.create(user=office, role=Role.OFFICE, jurisdiction=city)
    leader = User.objects.create_user("bench-leader", display_name="何中伟")
    Membership.objects.create(user=leader, role=Role.LEADER, jurisdiction=district, title="市长")
    industry = Industry.objects.order_by("code").first()
    from lianqi.enterprises.models import Enterprise, pinyin_initials

    words = ["观海", "海洲", "华盛", "瑞丰", "江川", "东湖", "昊华", "弘康", "中塑", "后羿", "尚品", "金穗"]
    kinds = ["食品", "水产", "化工", "新材料", "机械", "制药", "纺织", "科技"]
    rows = []
    for i in range(registry):
        name = f"{words[i % len(words)]}{kinds[(i // len(words)) % len(kinds)]}{i}有限公司"
        rows.append(
            Enterprise(
                credit_code=credit_code_for(i + 1, "419902"),
                name=name,
                name_initials=pinyin_initials(name),
                jurisdiction=district,
                industry=industry,
            )
        )
    Enterprise.objects.bulk_create(rows, batch_size=1000)
    files = [(f"report-{i:04d}.txt", _vary(base[i % len(base)], i).encode("utf-8")) for i in range(n)]
    t = time.perf_counter()
    results = drafts.import_files(files, user=office)
    total = time.perf_counter() - t
    ok = sum(r.ok for r in results)
    print(
        f"\nimport path (decode, extract, match against {registry} enterprises, draft stored) of {n} reports: "
        f"{total:.2f} s total, {total / n * 1000:.2f} ms/report, {ok} drafts, {n - ok} without a visit, "
        f"visits stored: {VisitReport.objects.count()}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
