"""Benchmark the visit-report extractor.

Times ``extract`` on the fixture reports (median and p95 per report after a
warm-up) and "imports" N reports (the fixtures cycled and lightly varied),
then prints a small table.

    python bench/extract.py [--repeat 50] [--imports 1000]
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
