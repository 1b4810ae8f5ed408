#!/usr/bin/env python3
"""Run Lianqi's production profile on one machine: ``make serve-prod``.

1. Check the environment: every required variable, all problems listed at once.
2. ``manage.py migrate`` and ``manage.py collectstatic``.
3. Start gunicorn (deploy/gunicorn.conf.py), a Celery worker and Celery beat, and keep them
   together: Ctrl-C or SIGTERM stops all three gracefully (gunicorn lets requests in flight
   finish, the worker finishes its current tasks); if one of them dies, the others are stopped
   too and the exit status is non-zero, so a supervisor (systemd, a container runtime) restarts
   the set.

On several machines, run the three as separate services instead (deploy/systemd/).

    python deploy/serve_prod.py [--check] [--skip-migrate] [--skip-collectstatic]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 60  # after SIGTERM, how long each process gets before it is killed

_FALSE = {"0", "false", "no", "off"}


def problems(env: dict) -> list[str]:
    """What is missing or wrong in ``env`` for a production run (empty when all is well)."""
    found = []
    if env.get("DEBUG", "").strip().lower() not in _FALSE:
        found.append("DEBUG must be set to 0 (production).")
    secret = env.get("SECRET_KEY", "")
    if len(secret) < 50:
        found.append("SECRET_KEY must be a random value of 50+ characters.")
    hash_key = env.get("PERSONAL_DATA_HASH_KEY", "")
    if len(hash_key) < 32:
        found.append("PERSONAL_DATA_HASH_KEY must be a random value of 32+ characters (keep it stable).")
    if not [h for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()]:
        found.append("ALLOWED_HOSTS must name the host names the site is reached by (comma-separated).")
    database = env.get("DATABASE_URL", "")
    if urlsplit(database).scheme not in {"postgres", "postgresql", "pgsql"}:
        found.append("DATABASE_URL must point at PostgreSQL: postgres://USER:PASSWORD@HOST:5432/NAME.")
    replica = env.get("DATABASE_REPLICA_URL", "")
    if replica and urlsplit(replica).scheme not in {"postgres", "postgresql", "pgsql"}:
        found.append("DATABASE_REPLICA_URL, when set, must point at PostgreSQL too.")
    for name in ("REDIS_URL",):
        if urlsplit(env.get(name, "")).scheme not in {"redis", "rediss", "unix"}:
            found.append(f"{name} must point at Redis: redis://HOST:6379/0.")
    if env.get("CELERY_TASK_ALWAYS_EAGER", "").strip().lower() not in {"", *_FALSE}:
        found.append("CELERY_TASK_ALWAYS_EAGER must not be on: background jobs belong to the Celery worker.")
    return found


def commands(env: dict) -> dict[str, list[str]]:
    python = sys.executable
    data_dir = Path(env.get("LIANQI_DATA_DIR") or ROOT / "var")
    concurrency = env.get("CELERY_CONCURRENCY", "").strip()
    worker = [python, "-m", "celery", "-A", "lianqi", "worker", "--loglevel", env.get("LOG_LEVEL", "INFO")]
    if concurrency:
        worker += ["--concurrency", concurrency]
    return {
        "web": [python, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        "worker": worker,
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "lianqi",
            "beat",
            "--loglevel",
            env.get("LOG_LEVEL", "INFO"),
            "--schedule",
            str(data_dir / "celerybeat-schedule"),
        ],
    }


def _say(text: str) -> None:
    print(f"serve-prod: {text}", file=sys.stderr, flush=True)


def _run(args: list[str]) -> None:
    _say(" ".join(args[1:]))
    subprocess.run(args, cwd=ROOT, check=True)  # noqa: S603 - fixed commands


def supervise(env: dict) -> int:
    """Start the three processes, wait, stop them all together. Returns the exit status."""
    stopping = False
    children: dict[str, subprocess.Popen] = {}

    def stop(signum=None, frame=None):
        nonlocal stopping
        if not stopping:
            _say(f"stopping ({signal.Signals(signum).name if signum else 'a process ended'})")
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for name, args in commands(env).items():
        # Each in its own process group: a Ctrl-C in the terminal reaches this supervisor only,
        # which then asks each child to stop in the way it understands (SIGTERM: graceful).
        children[name] = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
        _say(f"started {name} (pid {children[name].pid})")
    failed = None
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                failed = failed or name
                _say(f"{name} exited with status {child.returncode}")
                stop()
        time.sleep(0.2)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _say(f"{name} did not stop in {STOP_SECONDS} s; killing it")
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    _say("stopped")
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run Lianqi's production profile (gunicorn, Celery worker and beat).")
    parser.add_argument("--check", action="store_true", help="check the environment and exit")
    parser.add_argument("--skip-migrate", action="store_true", help="do not run migrate first")
    parser.add_argument("--skip-collectstatic", action="store_true", help="do not run collectstatic first")
    options = parser.parse_args(argv)
    env = dict(os.environ)
    found = problems(env)
    if found:
        print("serve-prod: the environment is not ready for production:", file=sys.stderr)
        for problem in found:
            print(f"  - {problem}", file=sys.stderr)
        print("See docs/deploy.md (and deploy/lianqi.env.example) for every variable.", file=sys.stderr)
        return 2
    manage = [sys.executable, str(ROOT / "manage.py")]
    try:
        # Loads the settings: a malformed value (e.g. STORAGE_BACKEND, LOG_FORMAT) stops here.
        _run([*manage, "check", "--deploy", "--fail-level", "ERROR"])
        if options.check:
            _say("the environment is ready")
            return 0
        if not options.skip_migrate:
            _run([*manage, "migrate", "--no-input"])
        if not options.skip_collectstatic:
            _run([*manage, "collectstatic", "--no-input", "--verbosity", "0"])
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    return supervise(env)


if __name__ == "__main__":
    sys.exit(main())
