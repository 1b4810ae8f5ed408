"""A longer fuzzing run of the REST API (docs/benchmarks.md, "API fuzzing").

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python bench/fuzz.py --examples 50

Runs ``lianqi/core/tests/test_api_fuzz.py`` (pytest creates and drops its own test database)
with a larger budget: --examples per operation (valid and invalid input); the draw is
derandomized, so a run is repeatable. Every call is logged; at the end it prints the number of
operations, the calls by role and by status, and every 5xx (there must be none: an operation
fails on its first).
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=50, help="generated examples per operation (default 50)")
    parser.add_argument("--paths", default="", help="regular expression: fuzz only the paths it matches")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    return parser.parse_args()


def main():
    args = parse_args()
    with tempfile.NamedTemporaryFile("r", suffix=".log", delete=False) as stats:
        log_path = stats.name
    env = {
        **os.environ,
        "FUZZ_EXAMPLES": str(args.examples),
        "FUZZ_STATS": log_path,
    }
    if args.paths:
        env["FUZZ_PATHS"] = args.paths
    command = [sys.executable, "-m", "pytest", "lianqi/core/tests/test_api_fuzz.py", "-p", "no:randomly", "-q"]
    command += ["-p", "no:cacheprovider", "--create-db"]
    command += args.pytest_args
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    returncode = subprocess.call(command, cwd=ROOT, env=env)
    elapsed = time.monotonic() - started

    calls = [line.split() for line in Path(log_path).read_text().splitlines() if line.strip()]
    Path(log_path).unlink()
    operations = {(method, path) for method, path, _role, _status in calls}
    by_class = collections.Counter(f"{status[0]}xx" for *_rest, status in calls)
    by_status = collections.Counter(status for *_rest, status in calls)
    by_role = collections.Counter(role for _method, _path, role, _status in calls)
    server_errors = [" ".join(call) for call in calls if call[3].startswith("5")]

    print(f"\nwall time {elapsed / 60:.1f} min; pytest exit status {returncode}")
    print(f"operations called: {len(operations)}; calls: {len(calls)}")
    print("by status class:", ", ".join(f"{key} {value}" for key, value in sorted(by_class.items())))
    print("by status:", ", ".join(f"{key} {value}" for key, value in sorted(by_status.items())))
    print("by role:", ", ".join(f"{key} {value}" for key, value in sorted(by_role.items())))
    print(f"5xx: {len(server_errors)}")
    for line in server_errors[:20]:
        print("  ", line)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
