"""Benchmark of checkpoint registration: POST /api/v1/checkpoints/<id>/entries/ on PostgreSQL
behind gunicorn, side by side with the floor (bench/checkpoint_floor.py: a bare WSGI app that
only inserts the same row with psycopg), with wrk and 16 keep-alive connections on loopback.

    createdb -h 127.0.0.1 -U root bench_checkpoints
    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_checkpoints .venv/bin/python bench/checkpoints.py

Both apps run under the same gunicorn configuration (``--workers``, ``--threads``; gthread
workers, because the sync worker closes the connection after every request) on ports 8031
(floor) and 8032 (Lianqi), DEBUG off, in the same run, alternating ``--rounds`` times. Prints
throughput, p50 and p99 for each and the load average before and after; checks that every request
stored exactly one row and that no response was an error.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLOOR_PORT, APP_PORT = 8031, 8032


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds per measurement (20)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (3)")
    parser.add_argument("--threads", type=int, default=6, help="threads per gthread worker (6)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="floor/app measurements, alternating (2)")
    return parser.parse_args()


def setup_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/checkpoints.py needs DATABASE_URL pointing at PostgreSQL (its own database).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rest_framework.authtoken.models import Token

    from lianqi.accounts.choices import Role
    from lianqi.accounts.models import Membership, User
    from lianqi.checkpoints.models import Checkpoint, CheckpointGuard, Entry
    from lianqi.jurisdictions.models import Jurisdiction

    city, _ = Jurisdiction.objects.get_or_create(code="419900", defaults={"name_zh": "江川市", "level": 1})
    guard, _ = User.objects.get_or_create(username="bench_guard")
    Membership.objects.get_or_create(user=guard, role=Role.GUARD)
    checkpoint, _ = Checkpoint.objects.get_or_create(
        name="基准测试 北门", defaults={"kind": "enterprise_gate", "jurisdiction": city}
    )
    CheckpointGuard.objects.get_or_create(checkpoint=checkpoint, user=guard)
    token, _ = Token.objects.get_or_create(user=guard)
    Entry.objects.filter(checkpoint=checkpoint).delete()
    return checkpoint.pk, token.key


def dsn_from_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def start(app: str, port: int, args, env) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310 - loopback
            return process
        except urllib.error.HTTPError:
            return process  # the floor answers every path (with an error for GET): it is up
        except OSError:
            time.sleep(0.2)
    stop(process)
    sys.exit(f"{app} did not start on port {port}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, path: str, token: str, args) -> dict:
    env = {**os.environ, "BENCH_TOKEN": token, "BENCH_PATH": path}
    output = subprocess.run(
        [
            "wrk",
            f"-t{args.wrk_threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "checkpoints.lua"),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout

    def latency(label):
        match = re.search(rf"^\s+{label}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if match is None:
            sys.exit(f"could not read the {label}th percentile from wrk's output:\n{output}")
        return float(match.group(1)) * UNITS[match.group(2)]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[:3].__str__()


def main():
    args = parse_args()
    checkpoint_id, token = setup_database()
    from lianqi.checkpoints.models import Entry

    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "k" * 60,
        "PERSONAL_DATA_HASH_KEY": "bench-personal-data-key-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "BENCH_DSN": dsn_from_url(os.environ["DATABASE_URL"]),
        "BENCH_CHECKPOINT": str(checkpoint_id),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DJANGO_SETTINGS_MODULE"] = "lianqi.settings"
    path = f"/api/v1/checkpoints/{checkpoint_id}/entries/"
    print(f"load average before: {loadavg()}  (cores: {os.cpu_count()})")
    floor = start("bench.checkpoint_floor:application", FLOOR_PORT, args, env)
    app = start("lianqi.wsgi:application", APP_PORT, args, env)
    results = {"floor": [], "lianqi": []}
    try:
        # Warm-up: connections, imports, caches.
        warm = argparse.Namespace(**{**vars(args), "duration": 3})
        wrk(FLOOR_PORT, path, token, warm)
        wrk(APP_PORT, path, token, warm)
        for _ in range(args.rounds):
            for name, port in (("floor", FLOOR_PORT), ("lianqi", APP_PORT)):
                before = Entry.objects.count()
                result = wrk(port, path, token, args)
                stored = Entry.objects.count() - before
                result["stored"] = stored
                results[name].append(result)
                print(
                    f"{name:7s} {result['rps']:8.0f} req/s  p50 {result['p50']:6.2f} ms  p99 {result['p99']:6.2f} ms  "
                    f"non-2xx {result['errors']}  rows stored {stored} / requests {result['requests']}  "
                    f"{result['socket_errors']}  load {loadavg()}"
                )
    finally:
        stop(app)
        stop(floor)
    print(f"load average after: {loadavg()}")
    best = {name: max(runs, key=lambda r: r["rps"]) for name, runs in results.items()}
    ratio = best["lianqi"]["rps"] / best["floor"]["rps"]
    print()
    print("| server | requests/s | p50 (ms) | p99 (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for name, label in (("floor", "floor: bare WSGI + psycopg INSERT"), ("lianqi", "Lianqi POST …/entries/")):
        r = best[name]
        print(f"| {label} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} |")
    print(
        f"\nLianqi / floor throughput: {ratio:.0%} (target ≥ 50 %); Lianqi p99 {best['lianqi']['p99']:.1f} ms (target < 100 ms)"
    )


if __name__ == "__main__":
    main()
