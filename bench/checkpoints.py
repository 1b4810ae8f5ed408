"""Benchmark of checkpoint registration: POST /api/v1/checkpoints/<id>/entries/ on PostgreSQL
behind gunicorn, side by side with the floor (bench/checkpoint_floor.py: a bare WSGI app that
only inserts the same row with psycopg), with wrk and 16 keep-alive connections on loopback.

    createdb -h 127.0.0.1 -U root bench_checkpoints
    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_checkpoints .venv/bin/python bench/checkpoints.py

Both apps run under the same gunicorn configuration (``--workers``, ``--threads``; gthread
workers, because the sync worker closes the connection after every request) on ports 8031
(floor) and 8032 (Lianqi), DEBUG off, in the same run, alternating ``--rounds`` times. Prints
throughput, p50 and p99 for each, the CPU per request of each server and of PostgreSQL, and the
load average before and after; fails (exit status 1) when a response was an error or a socket
error occurred, or when the rows stored do not match the requests answered (wrk stops with up to
``--connections`` requests in flight, which are stored but not counted).
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
    from lianqi.accounts.choices import Role
    from lianqi.accounts.models import ApiToken, Membership, User
    from lianqi.checkpoints.models import Checkpoint, CheckpointGuard, Entry
    from lianqi.jurisdictions.models import Jurisdiction

    city, _ = Jurisdiction.objects.get_or_create(code="419900", defaults={"name_zh": "江川市", "level": 1})
    guard, _ = User.objects.get_or_create(username="bench_guard")
    Membership.objects.get_or_create(user=guard, role=Role.GUARD)
    checkpoint, _ = Checkpoint.objects.get_or_create(
        name="基准测试 北门", defaults={"kind": "enterprise_gate", "jurisdiction": city}
    )
    CheckpointGuard.objects.get_or_create(checkpoint=checkpoint, user=guard)
    token = ApiToken.issue(guard, replace=True)
    # One statement, not the ORM's delete (which loads every row to look for related objects):
    # earlier runs leave hundreds of thousands of entries behind.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Entry._meta.db_table} WHERE checkpoint_id = %s", [checkpoint.pk])  # noqa: S608
    return checkpoint.pk, token


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


def cpu_seconds(server_group: int) -> tuple[float, float]:
    """CPU seconds used so far by the server's processes (its process group) and by PostgreSQL's
    (every process named postgres: backends, WAL writer, checkpointer)."""
    server = database = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        if int(fields[2]) == server_group:  # pgrp
            server += used
        elif name.startswith("postgres"):
            database += used
    return server, database


def wrk(port: int, path: str, token: str, args, server_group: int | None = None) -> dict:
    """One wrk run. With ``server_group``, also the CPU per request of the server and of
    PostgreSQL, sampled over the run's middle (from its 2nd second to 1 s before its end)."""
    env = {**os.environ, "BENCH_TOKEN": token, "BENCH_PATH": path}
    command = [
        "wrk",
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "checkpoints.lua"),
        f"http://127.0.0.1:{port}",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    sample = None
    if server_group is not None and args.duration >= 5:
        time.sleep(1)
        first, started = cpu_seconds(server_group), time.monotonic()
        time.sleep(args.duration - 2)
        last, ended = cpu_seconds(server_group), time.monotonic()
        sample = (last[0] - first[0], last[1] - first[1], ended - started)
    output, _ = process.communicate()
    if process.returncode:
        sys.exit(f"wrk failed ({process.returncode}):\n{output}")

    def latency(label):
        match = re.search(rf"^\s+{label}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if match is None:
            sys.exit(f"could not read the {label}th percentile from wrk's output:\n{output}")
        return float(match.group(1)) * UNITS[match.group(2)]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    cpu = {}
    if sample:
        requests = rps * sample[2]
        cpu = {"server_cpu": sample[0] / requests * 1000, "database_cpu": sample[1] / requests * 1000}
    return {
        **cpu,
        "rps": rps,
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
    failures = []
    try:
        # Warm-up: connections, imports, caches.
        warm = argparse.Namespace(**{**vars(args), "duration": 3})
        wrk(FLOOR_PORT, path, token, warm)
        wrk(APP_PORT, path, token, warm)
        for _ in range(args.rounds):
            for name, port, server in (("floor", FLOOR_PORT, floor), ("lianqi", APP_PORT, app)):
                before = Entry.objects.count()
                result = wrk(port, path, token, args, server_group=server.pid)
                stored = Entry.objects.count() - before
                result["stored"] = stored
                if (
                    result["errors"]
                    or result["socket_errors"]
                    or not 0 <= stored - result["requests"] <= args.connections
                ):
                    failures.append(f"{name}: {result}")
                results[name].append(result)
                print(
                    f"{name:7s} {result['rps']:8.0f} req/s  p50 {result['p50']:6.2f} ms  p99 {result['p99']:6.2f} ms  "
                    f"non-2xx {result['errors']}  rows stored {stored} / requests {result['requests']}  "
                    f"{result['socket_errors']}  load {loadavg()}"
                )
                if "server_cpu" in result:
                    print(
                        f"        CPU per request: server {result['server_cpu']:.3f} ms, "
                        f"PostgreSQL {result['database_cpu']:.3f} ms"
                    )
    finally:
        stop(app)
        stop(floor)
    print(f"load average after: {loadavg()}")
    best = {name: max(runs, key=lambda r: r["rps"]) for name, runs in results.items()}
    mean = {name: sum(r["rps"] for r in runs) / len(runs) for name, runs in results.items()}
    rounds = [app["rps"] / floor["rps"] for floor, app in zip(results["floor"], results["lianqi"], strict=True)]
    print()
    print("| server | best requests/s | mean requests/s | p50 (ms) | p99 (ms) | CPU/request: server, PostgreSQL (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, label in (("floor", "floor: bare WSGI + psycopg INSERT"), ("lianqi", "Lianqi POST …/entries/")):
        r = best[name]
        cpu = f"{r['server_cpu']:.3f}, {r['database_cpu']:.3f}" if "server_cpu" in r else "—"
        print(f"| {label} | {r['rps']:.0f} | {mean[name]:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {cpu} |")
    worst_p99 = max(r["p99"] for r in results["lianqi"])
    print(
        f"\nLianqi / floor throughput: {mean['lianqi'] / mean['floor']:.0%} of the means, "
        f"{best['lianqi']['rps'] / best['floor']['rps']:.0%} of the bests, "
        f"{min(rounds):.0%}–{max(rounds):.0%} round by round (target ≥ 50 %); "
        f"Lianqi p99 {worst_p99:.1f} ms at worst (target < 100 ms)"
    )
    if failures:
        sys.exit("errors or lost/duplicated rows:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
