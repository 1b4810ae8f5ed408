"""Soak: a mixed workload for --duration seconds against gunicorn + Celery, with faults.

    .venv/bin/python bench/soak.py --duration 600

Workloads, each on its own client threads at a paced rate (no catch-up bursts):

- guards       POST /api/v1/checkpoints/<id>/entries/ (token), a unique client_id each; one
               entry in --fever-every has a temperature of 38.2 and raises an alert, whose
               notifications (in-app, e-mail, SMS) go through Celery;
- enterprises  POST /api/v1/daily-reports/ (token), one (enterprise, date) each;
- officials    GET list pages and dashboards (session login: leader, office, district_leader);
- inspectors   POST …/inspections/<id>/answers/ then …/submit/ (token) on planned inspections.

The script starts its OWN services in a temporary directory, never the machine's: a private
PostgreSQL cluster (initdb from /usr/lib/postgresql/*/bin, run as the ``postgres`` OS user when
the script runs as root) on 127.0.0.1:5441 and a private redis-server on 127.0.0.1:6391 (no
persistence). It migrates, seeds the demo city (``seed_demo``), adds a checklist and planned
inspections, issues API tokens, and starts gunicorn on 127.0.0.1:8131 (DEBUG off, gthread), a
Celery worker and Celery beat. Everything is stopped and removed on exit, also on Ctrl-C or
failure.

Faults (unless --no-faults): PostgreSQL is restarted once (``pg_ctl restart -m fast``) at 30 %
of the run; Redis is stopped for --redis-outage seconds (30) at 60 %. A request during an outage
must either succeed or fail cleanly (503 with Retry-After, JSON for the API); a write that
fails is sent again with the same idempotency key (the entry's client_id; the report's
enterprise and date; the inspection's submit), as the guard page does. gunicorn and Celery are
never restarted.

Afterwards it checks, in the database: every accepted write is there (entries by client_id,
reports by enterprise and date with the figure last sent, inspections submitted), and every
fever alert's event was dispatched with its in-app notifications, including those raised while
Redis was down. It prints per workload requests, req/s, p50, p99, errors; what happened during
each fault; writes accepted vs rows found; notifications queued vs delivered; load average.

Errors are: any response other than 2xx, except a clean 503 inside a fault window (the outage
plus --grace seconds); a 500, a timeout or a refused connection always count as errors.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import glob
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
STATIC_DATA_DIR = ROOT / "var" / "soak"
PG_PORT, REDIS_PORT, APP_PORT = 5441, 6391, 8131
BASE = f"http://127.0.0.1:{APP_PORT}"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=600, help="seconds of load (600)")
    parser.add_argument("--guards", type=float, default=20, help="entries per second (20)")
    parser.add_argument("--enterprises", type=float, default=5, help="daily reports per second (5)")
    parser.add_argument("--officials", type=float, default=5, help="page views per second (5)")
    parser.add_argument("--inspectors", type=float, default=1, help="inspections submitted per second (1)")
    parser.add_argument("--threads", type=int, default=4, help="client threads per workload (4)")
    parser.add_argument("--fever-every", type=int, default=20, help="one fever entry in N (20)")
    parser.add_argument("--no-faults", action="store_true", help="no PostgreSQL restart, no Redis outage")
    parser.add_argument("--redis-outage", type=int, default=30, help="seconds Redis stays down (30)")
    parser.add_argument("--grace", type=float, default=10, help="seconds after a fault still counted in it (10)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (3)")
    parser.add_argument("--gunicorn-threads", type=int, default=6, help="threads per gthread worker (6)")
    parser.add_argument("--settle", type=int, default=180, help="seconds to wait for pending notifications (180)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs) on exit")
    return parser.parse_args()


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split(" ")[:3])


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


# --- private services ---------------------------------------------------------------------------
class Services:
    """A private PostgreSQL cluster and Redis server, and the app's processes, in one directory."""

    def __init__(self, args):
        self.args = args
        self.dir = Path(tempfile.mkdtemp(prefix="lianqi-soak-"))
        self.dir.chmod(0o755)
        self.pgdata = self.dir / "pg"
        self.processes: dict[str, subprocess.Popen] = {}
        self.redis: subprocess.Popen | None = None
        self.pg_started = False
        self.as_postgres = os.geteuid() == 0
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            sys.exit("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql).")
        self.pgbin = Path(found[-1]).parent
        if shutil.which("redis-server") is None:
            sys.exit("redis-server is missing (apt-get install redis-server).")
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://root@127.0.0.1:{PG_PORT}/soak",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "DEBUG": "false",
            "SECRET_KEY": "soak-" + "k" * 60,
            "PERSONAL_DATA_HASH_KEY": "soak-personal-data-key-0123456789abcdef",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "DATABASE_CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # Collected static files are kept between runs (collecting takes minutes); media not.
            "LIANQI_DATA_DIR": str(STATIC_DATA_DIR),
            "MEDIA_ROOT": str(self.dir / "media"),
            "DJANGO_SETTINGS_MODULE": "lianqi.settings",
        }
        for name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "LIANQI_TESTING"):
            self.env.pop(name, None)

    def _pg(self, *command, check=True):
        command = [str(self.pgbin / command[0]), *command[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, check=False, capture_output=True, text=True)
        if check and result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
        return result

    def start_postgres(self):
        self.pgdata.mkdir()
        socket_dir = self.dir / "pgsock"
        socket_dir.mkdir()
        if self.as_postgres:
            shutil.chown(self.pgdata, "postgres")
            shutil.chown(socket_dir, "postgres")
        self._pg("initdb", "-D", str(self.pgdata), "-U", "root", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = (
            f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {socket_dir} -c max_connections=200 "
            "-c fsync=on -c shared_buffers=128MB"
        )
        self._pg("pg_ctl", "-D", str(self.pgdata), "-o", options, "-l", str(socket_dir / "postgres.log"), "-w", "start")
        self.pg_started = True
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(PG_PORT),
                "-U",
                "root",
                "-d",
                "postgres",
                "-qc",
                "CREATE DATABASE soak",
            ],
            check=True,
        )

    def restart_postgres(self):
        # With -l: the new server must not inherit (and hold open) this script's output pipe.
        log_file = str(self.dir / "pgsock" / "postgres.log")
        self._pg("pg_ctl", "-D", str(self.pgdata), "-l", log_file, "-m", "fast", "-w", "restart")

    def start_redis(self):
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=open(self.dir / "redis.log", "a"),  # noqa: SIM115 - the process keeps it
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(100):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ):
                return
            time.sleep(0.1)
        sys.exit("the private redis-server did not start")

    def stop_redis(self):
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=20)
        self.redis = None

    def manage(self, *command, **env):
        subprocess.run([str(BIN / "python"), "manage.py", *command], cwd=ROOT, env={**self.env, **env}, check=True)

    def spawn(self, name, command):
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=open(self.dir / f"{name}.log", "a"),  # noqa: SIM115 - the process keeps it
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_app(self):
        self.spawn(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "lianqi.wsgi:application",
                "--bind",
                f"127.0.0.1:{APP_PORT}",
                "--workers",
                str(self.args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(self.args.gunicorn_threads),
                "--keep-alive",
                "30",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
        )
        self.spawn(
            "celery-worker",
            [
                str(BIN / "celery"),
                "-A",
                "lianqi",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "warning",
                "--without-mingle",
                "--without-gossip",
            ],
        )
        self.spawn(
            "celery-beat",
            [
                str(BIN / "celery"),
                "-A",
                "lianqi",
                "beat",
                "--loglevel",
                "warning",
                "-s",
                str(self.dir / "beat-schedule"),
            ],
        )
        for _ in range(150):
            try:
                if requests.get(f"{BASE}/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            for name, process in self.processes.items():
                if process.poll() is not None:
                    sys.exit(f"{name} exited early; see {self.dir / (name + '.log')}")
            time.sleep(0.2)
        sys.exit("gunicorn did not become ready")

    def alive(self) -> dict:
        return {name: process.poll() is None for name, process in self.processes.items()}

    def cleanup(self):
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
        self.stop_redis()
        if self.pg_started:
            self._pg("pg_ctl", "-D", str(self.pgdata), "-m", "immediate", "-w", "stop", check=False)
        if self.args.keep:
            log(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


# --- data ---------------------------------------------------------------------------------------
SOAK_TEMPLATE = {
    "code": "soak-routine",
    "version": 1,
    "kind": "production_safety",
    "hazard_category": "fire",
    "name_zh": "压力测试检查表",
    "name_en": "Soak checklist",
    "description_zh": "",
    "description_en": "",
    "references": [],
    "sections": [
        {
            "code": "S1",
            "title_zh": "基本",
            "title_en": "Basics",
            "items": [
                {
                    "code": "S1.1",
                    "text_zh": "消防通道是否畅通？",
                    "text_en": "Fire exits clear?",
                    "type": "yes_no_na",
                    "required": True,
                    "pass_answer": "yes",
                    "weight": 2,
                },
                {
                    "code": "S1.2",
                    "text_zh": "灭火器是否有效？",
                    "text_en": "Extinguishers valid?",
                    "type": "yes_no_na",
                    "required": True,
                    "pass_answer": "yes",
                    "weight": 2,
                },
                {
                    "code": "S1.3",
                    "text_zh": "宿舍每间人数",
                    "text_en": "People per room",
                    "type": "number",
                    "required": True,
                    "min": 0,
                    "max": 50,
                    "fail_if": {"gt": 6},
                },
            ],
        }
    ],
}
ANSWERS = [{"item": "S1.1", "value": "yes"}, {"item": "S1.2", "value": "yes"}, {"item": "S1.3", "value": 4}]


def setup_data(services: Services, inspections: int) -> dict:
    """Migrate, seed the demo city, and prepare what the workloads need (in this process)."""
    services.manage("migrate", "-v0")
    if not (STATIC_DATA_DIR / "static" / "staticfiles.json").exists():
        log(f"collecting static files into {STATIC_DATA_DIR} (once; several minutes)")
        # Tabler's bundled third-party libraries (libs/) refer to source maps it does not ship,
        # which the manifest storage refuses; no page uses them.
        services.manage("collectstatic", "--noinput", "-v0", "--ignore", "libs")
    services.manage("seed_demo", DEBUG="true")
    os.environ.update(services.env)
    import django

    django.setup()
    from django.utils import timezone

    from lianqi.accounts.models import ApiToken, User
    from lianqi.checklists.transfer import import_template
    from lianqi.checkpoints.models import CheckpointGuard
    from lianqi.inspections.choices import InspectionKind
    from lianqi.inspections.services import plan_inspection

    guard = User.objects.get(username="guard")
    enterprise_user = User.objects.get(username="enterprise")
    inspector = User.objects.get(username="inspector")
    office = User.objects.get(username="office")
    checkpoint_id = CheckpointGuard.objects.filter(user=guard).values_list("checkpoint_id", flat=True).first()
    enterprise_id = sorted(enterprise_user.access.enterprise_ids())[0]
    version, _created = import_template(SOAK_TEMPLATE, actor=office)
    from lianqi.enterprises.models import Enterprise

    enterprises = list(
        Enterprise.objects.filter(jurisdiction__path__startswith=inspector.memberships.first().jurisdiction.path)[:20]
    )
    today = timezone.localdate()
    planned = []
    for number in range(inspections):
        inspection = plan_inspection(
            actor=office,
            kind=InspectionKind.ROUTINE,
            enterprise=enterprises[number % len(enterprises)],
            template_version=version,
            planned_date=today,
            inspectors=[inspector],
            title=f"soak {number}",
        )
        planned.append(inspection.pk)
    return {
        "checkpoint": checkpoint_id,
        "enterprise": enterprise_id,
        "inspections": planned,
        "today": today,
        "tokens": {
            name: ApiToken.issue(User.objects.get(username=name)) for name in ("guard", "enterprise", "inspector")
        },
    }


# --- load ---------------------------------------------------------------------------------------
@dataclass
class Sample:
    at: float
    seconds: float
    status: int  # 0: no response (timeout, refused)
    clean: bool  # a 503 that says "unavailable" (JSON code or the page)
    retry: bool  # a resend of a write


@dataclass
class Workload:
    name: str
    rate: float
    samples: list = field(default_factory=list)
    accepted: dict = field(default_factory=dict)  # write key -> value checked in the database
    gave_up: list = field(default_factory=list)
    retried_writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, sample):
        with self.lock:
            self.samples.append(sample)


class Run:
    def __init__(self, args, data):
        self.args, self.data = args, data
        self.stop = threading.Event()
        self.t0 = time.time()
        self.counter = 0
        self.counter_lock = threading.Lock()
        self.workloads = {
            name: Workload(name, getattr(args, name)) for name in ("guards", "enterprises", "officials", "inspectors")
        }
        self.fevers: dict[str, float] = {}  # accepted fever client_id -> time accepted
        self.inspection_queue = list(reversed(data["inspections"]))
        self.report_date = data["today"] - datetime.timedelta(days=400)

    def next_number(self) -> int:
        with self.counter_lock:
            self.counter += 1
            return self.counter

    def next_report_date(self) -> datetime.date:
        with self.counter_lock:
            self.report_date -= datetime.timedelta(days=1)
            return self.report_date

    def next_inspection(self):
        with self.counter_lock:
            return self.inspection_queue.pop() if self.inspection_queue else None

    # One HTTP request, timed and classified.
    def send(self, workload, session, method, url, retry=False, **kwargs) -> requests.Response | None:
        started = time.time()
        try:
            response = session.request(method, BASE + url, timeout=30, allow_redirects=False, **kwargs)
        except requests.RequestException:
            workload.record(Sample(started, time.time() - started, 0, False, retry))
            return None
        clean = (
            response.status_code == 503
            and ("unavailable" in response.text[:200] or "503" in response.text[:200])
            and "Retry-After" in response.headers
        )
        workload.record(Sample(started, time.time() - started, response.status_code, clean, retry))
        return response

    def write(self, workload, session, method, url, ok=(200, 201), **kwargs) -> requests.Response | None:
        """Send a write until it is accepted, resending the same body (its idempotency key)
        after a failure, for up to 90 seconds."""
        deadline = time.time() + 90
        retry = False
        while True:
            response = self.send(workload, session, method, url, retry=retry, **kwargs)
            if response is not None and response.status_code in ok:
                if retry:
                    with workload.lock:
                        workload.retried_writes += 1
                return response
            if response is not None and response.status_code not in (500, 502, 503, 504):
                return None  # refused for a reason a resend will not change: an error, not retried
            if time.time() > deadline or self.stop.is_set() and time.time() > deadline - 60:
                return None
            retry = True
            time.sleep(1)

    def paced(self, workload, thread_count, step):
        interval = thread_count / workload.rate
        next_at = time.time()
        while not self.stop.is_set():
            now = time.time()
            if next_at > now:
                time.sleep(next_at - now)
            if self.stop.is_set():
                break
            step()
            next_at += interval
            if time.time() - next_at > interval:
                next_at = time.time()  # fell behind (an outage): no burst to catch up

    # The workloads.
    def guard(self, thread_count):
        workload = self.workloads["guards"]
        session = requests.Session()
        session.headers["Authorization"] = "Token " + self.data["tokens"]["guard"]
        url = f"/api/v1/checkpoints/{self.data['checkpoint']}/entries/"

        def step():
            number = self.next_number()
            fever = number % self.args.fever_every == 0
            client_id = f"soak-{uuid.uuid4().hex}"
            body = {
                "name": "张伟",
                "id_number": "41010519900307123X",
                "phone": "13812345678",
                "health_code": "green",
                "temperature": 38.2 if fever else 36.5,
                "direction": "in",
                "origin": "东湖区",
                "client_id": client_id,
            }
            response = self.write(workload, session, "POST", url, json=body)
            if response is None:
                workload.gave_up.append(client_id)
                return
            with workload.lock:
                workload.accepted[client_id] = fever
                if fever:
                    self.fevers[client_id] = time.time()

        self.paced(workload, thread_count, step)

    def enterprise(self, thread_count):
        workload = self.workloads["enterprises"]
        session = requests.Session()
        session.headers["Authorization"] = "Token " + self.data["tokens"]["enterprise"]

        def step():
            date = self.next_report_date()
            returned = self.next_number() % 97
            body = {
                "enterprise": self.data["enterprise"],
                "date": date.isoformat(),
                "confirmed": True,
                "resumed": True,
                "staff_total": 200,
                "staff_on_post": 150,
                "staff_returned": returned,
                "staff_isolated": 1,
                "abnormal_health": 0,
                "capacity_pct": "82.5",
                "masks_days": "14",
            }
            response = self.write(workload, session, "POST", "/api/v1/daily-reports/", ok=(201,), json=body)
            key = date.isoformat()
            if response is None:
                workload.gave_up.append(key)
                return
            with workload.lock:
                workload.accepted[key] = returned

        self.paced(workload, thread_count, step)

    def inspector(self, thread_count):
        workload = self.workloads["inspectors"]
        session = requests.Session()
        session.headers["Authorization"] = "Token " + self.data["tokens"]["inspector"]

        def step():
            pk = self.next_inspection()
            if pk is None:
                return
            if (
                self.write(
                    workload,
                    session,
                    "POST",
                    f"/api/v1/inspections/{pk}/answers/",
                    ok=(200,),
                    json={"answers": ANSWERS},
                )
                is None
            ):
                workload.gave_up.append(pk)
                return
            if self.write(workload, session, "POST", f"/api/v1/inspections/{pk}/submit/", ok=(200,)) is None:
                workload.gave_up.append(pk)
                return
            with workload.lock:
                workload.accepted[pk] = True

        self.paced(workload, thread_count, step)

    def official(self, thread_count, session):
        workload = self.workloads["officials"]
        pages = [
            "/",
            "/enterprises/",
            "/hazards/",
            "/dashboard/",
            "/reports/",
            "/inspections/",
            "/appeals/",
            "/checkpoints/",
            "/tasks/",
            "/inbox/",
        ]
        position = [0]

        def step():
            path = pages[position[0] % len(pages)]
            position[0] += 1
            self.send(workload, session, "GET", path)

        self.paced(workload, thread_count, step)


def login(username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{BASE}/accounts/login/", timeout=30)
    token = session.cookies.get("csrftoken")
    if token is None or page.status_code != 200:
        sys.exit(f"login page: {page.status_code}")
    response = session.post(
        f"{BASE}/accounts/login/",
        data={"username": username, "password": "demo", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{BASE}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        sys.exit(f"could not log in as {username}: {response.status_code}")
    return session


# --- faults -------------------------------------------------------------------------------------
def run_faults(run: Run, services: Services, faults: list):
    duration = run.args.duration

    def wait_until(offset):
        while not run.stop.is_set() and time.time() < run.t0 + offset:
            time.sleep(0.2)
        return not run.stop.is_set()

    if not wait_until(duration * 0.3):
        return
    start = time.time()
    log("fault: restarting PostgreSQL (pg_ctl restart -m fast)")
    services.restart_postgres()
    faults.append({"name": "PostgreSQL restart", "start": start, "end": time.time()})
    log(f"PostgreSQL back after {time.time() - start:.1f} s")
    if not wait_until(duration * 0.6):
        return
    start = time.time()
    log(f"fault: stopping Redis for {run.args.redis_outage} s")
    services.stop_redis()
    time.sleep(run.args.redis_outage)
    services.start_redis()
    faults.append({"name": f"Redis stopped {run.args.redis_outage} s", "start": start, "end": time.time()})
    log("Redis started again")


# --- checks -------------------------------------------------------------------------------------
def check_database(run: Run, faults: list, settle: int) -> dict:
    from django.db import connection

    from lianqi.checkpoints.models import Alert, Entry
    from lianqi.inspections.choices import InspectionStatus
    from lianqi.inspections.models import Inspection
    from lianqi.notifications.choices import Channel
    from lianqi.notifications.models import Event, Notification
    from lianqi.reporting.models import DailyReport

    connection.close()  # this process's connection predates the restart
    guards = run.workloads["guards"]
    client_ids = list(guards.accepted)
    found_entries = 0
    for start in range(0, len(client_ids), 1000):
        found_entries += Entry.objects.filter(client_id__in=client_ids[start : start + 1000]).count()
    reports = run.workloads["enterprises"].accepted
    stored = dict(
        DailyReport.objects.filter(enterprise_id=run.data["enterprise"], date__in=list(reports)).values_list(
            "date", "staff_returned"
        )
    )
    found_reports = sum(1 for key, value in reports.items() if stored.get(datetime.date.fromisoformat(key)) == value)
    submitted = list(run.workloads["inspectors"].accepted)
    found_inspections = Inspection.objects.filter(
        pk__in=submitted, status__in=[InspectionStatus.SUBMITTED, InspectionStatus.SIGNED_OFF]
    ).count()

    # Notifications of the fever alerts: wait for the periodic job to send those still pending.
    redis_fault = next((f for f in faults if f["name"].startswith("Redis")), None)
    fever_ids = list(run.fevers)
    alert_ids = list(Alert.objects.filter(entry__client_id__in=fever_ids).values_list("pk", flat=True))
    keys = [f"checkpoint.alert:{pk}" for pk in alert_ids]
    deadline = time.time() + settle
    while True:
        pending = Event.objects.filter(key__in=keys, dispatched_at__isnull=True).count()
        if pending == 0 or time.time() > deadline:
            break
        log(f"waiting for {pending} pending alert notifications")
        time.sleep(5)
    events = Event.objects.filter(key__in=keys)
    dispatched = events.filter(dispatched_at__isnull=False).count()
    with_in_app = events.filter(notifications__channel=Channel.IN_APP).distinct().count()
    in_app = Notification.objects.filter(event__in=events, channel=Channel.IN_APP).count()
    sms = Notification.objects.filter(event__in=events, channel=Channel.SMS).exclude(status="pending").count()
    during = [cid for cid, at in run.fevers.items() if redis_fault and redis_fault["start"] <= at <= redis_fault["end"]]
    during_alerts = list(Alert.objects.filter(entry__client_id__in=during).values_list("pk", flat=True))
    during_dispatched = Event.objects.filter(
        key__in=[f"checkpoint.alert:{pk}" for pk in during_alerts], dispatched_at__isnull=False
    ).count()
    return {
        "entries": {"accepted": len(client_ids), "found": found_entries, "gave_up": len(guards.gave_up)},
        "reports": {
            "accepted": len(reports),
            "found": found_reports,
            "gave_up": len(run.workloads["enterprises"].gave_up),
        },
        "inspections": {
            "accepted": len(submitted),
            "found": found_inspections,
            "gave_up": len(run.workloads["inspectors"].gave_up),
        },
        "alerts": {
            "fever_entries_accepted": len(fever_ids),
            "alerts": len(alert_ids),
            "events": events.count(),
            "dispatched": dispatched,
            "events_with_in_app": with_in_app,
            "in_app_notifications": in_app,
            "sms_handled": sms,
            "raised_during_redis_outage": len(during_alerts),
            "dispatched_of_those": during_dispatched,
        },
    }


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summarise(run: Run, faults: list, grace: float) -> dict:
    def in_fault(at):
        return next((f["name"] for f in faults if f["start"] - 1 <= at <= f["end"] + grace), None)

    table = {}
    fault_stats = {f["name"]: {"requests": 0, "ok": 0, "clean_503": 0, "errors": 0, "retries": 0} for f in faults}
    for name, workload in run.workloads.items():
        ok = [s for s in workload.samples if 200 <= s.status < 400]
        errors = 0
        clean = 0
        for sample in workload.samples:
            fault = in_fault(sample.at)
            if fault:
                stats = fault_stats[fault]
                stats["requests"] += 1
                stats["retries"] += sample.retry
            if 200 <= sample.status < 400:
                if fault:
                    fault_stats[fault]["ok"] += 1
                continue
            if sample.clean and fault:
                clean += 1
                fault_stats[fault]["clean_503"] += 1
            else:
                errors += 1
                if fault:
                    fault_stats[fault]["errors"] += 1
        latencies = [s.seconds * 1000 for s in workload.samples]
        kinds: dict = {}
        for sample in workload.samples:
            if not 200 <= sample.status < 400:
                label = f"{sample.status or 'no response'}{' clean' if sample.clean else ''}"
                kinds[label] = kinds.get(label, 0) + 1
        table[name] = {
            "non_2xx": kinds,
            "requests": len(workload.samples),
            "ok": len(ok),
            "rps": len(ok) / run.args.duration,
            "p50": statistics.median(latencies) if latencies else 0.0,
            "p99": percentile(latencies, 0.99),
            "clean_503": clean,
            "errors": errors,
            "retried_writes": workload.retried_writes,
        }
    return {"workloads": table, "faults": fault_stats}


def report(results: dict):
    print()
    print(
        "| workload | requests | 2xx/3xx | req/s | p50 (ms) | p99 (ms) | clean 503 in faults | errors | writes resent and accepted |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in results["workloads"].items():
        print(
            f"| {name} | {row['requests']} | {row['ok']} | {row['rps']:.1f} | {row['p50']:.0f} | {row['p99']:.0f} | "
            f"{row['clean_503']} | {row['errors']} | {row['retried_writes']} |"
        )
    for name, row in results["workloads"].items():
        if row["non_2xx"]:
            print(f"  {name}: responses other than 2xx/3xx by status: {row['non_2xx']}")
    print()
    print("| fault | at (s) | lasted (s) | requests in window | succeeded | failed cleanly (503) | errors | resends |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for fault in results["fault_times"]:
        stats = results["faults"][fault["name"]]
        print(
            f"| {fault['name']} | {fault['at']:.0f} | {fault['lasted']:.1f} | {stats['requests']} | {stats['ok']} | "
            f"{stats['clean_503']} | {stats['errors']} | {stats['retries']} |"
        )
    db = results["database"]
    print()
    print("| writes | accepted (2xx) | rows found | lost | given up by the client |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in ("entries", "reports", "inspections"):
        row = db[name]
        print(f"| {name} | {row['accepted']} | {row['found']} | {row['accepted'] - row['found']} | {row['gave_up']} |")
    alerts = db["alerts"]
    print()
    print(
        f"Fever alerts: {alerts['fever_entries_accepted']} fever entries accepted, {alerts['alerts']} alerts, "
        f"{alerts['events']} events queued, {alerts['dispatched']} dispatched, "
        f"{alerts['events_with_in_app']} with in-app notifications ({alerts['in_app_notifications']} in-app, "
        f"{alerts['sms_handled']} SMS sent or recorded); raised during the Redis outage: "
        f"{alerts['raised_during_redis_outage']}, dispatched: {alerts['dispatched_of_those']}."
    )
    print(f"Processes alive at the end (never restarted): {results['alive']}")
    print(
        f"Load average before {results['load_before']}, during {results['load_during']}, after {results['load_after']}"
    )
    total_errors = sum(row["errors"] for row in results["workloads"].values())
    lost = sum(db[name]["accepted"] - db[name]["found"] for name in ("entries", "reports", "inspections"))
    undelivered = alerts["events"] - alerts["dispatched"]
    print(f"\nerrors = {total_errors}, writes lost = {lost}, notifications not delivered = {undelivered}")
    return total_errors == 0 and lost == 0 and undelivered == 0 and all(results["alive"].values())


def main():
    args = parse_args()
    services = Services(args)

    def terminate(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, terminate)
    ok = False
    try:
        log(f"private services in {services.dir}; load average {loadavg()} (cores: {os.cpu_count()})")
        services.start_postgres()
        services.start_redis()
        needed = int(args.inspectors * args.duration * 1.1) + 10
        data = setup_data(services, needed)
        services.start_app()
        log("gunicorn, Celery worker and beat are up; logging in the officials")
        run = Run(args, data)
        threads = []
        for name, target in (("guards", run.guard), ("enterprises", run.enterprise), ("inspectors", run.inspector)):
            if getattr(args, name) > 0:
                threads += [
                    threading.Thread(target=target, args=(args.threads,), daemon=True) for _ in range(args.threads)
                ]
        if args.officials > 0:
            users = ["leader", "office", "district_leader"]
            sessions = {user: login(user) for user in users}
            threads += [
                threading.Thread(target=run.official, args=(args.threads, sessions[users[i % len(users)]]), daemon=True)
                for i in range(args.threads)
            ]
        load_before = loadavg()
        faults: list = []
        run.t0 = time.time()
        for thread in threads:
            thread.start()
        fault_thread = None
        if not args.no_faults:
            fault_thread = threading.Thread(target=run_faults, args=(run, services, faults), daemon=True)
            fault_thread.start()
        load_during = []
        while time.time() < run.t0 + args.duration:
            time.sleep(min(30, max(0.1, run.t0 + args.duration - time.time())))
            load_during.append(loadavg().split(" ")[0])
            done = {name: sum(1 for s in w.samples if 200 <= s.status < 400) for name, w in run.workloads.items()}
            log(f"t={time.time() - run.t0:.0f}s ok={done} load {loadavg()}")
        run.stop.set()
        for thread in threads:
            thread.join(timeout=120)
        if fault_thread is not None:
            fault_thread.join(timeout=120)
        log("load stopped; checking the database")
        results = summarise(run, faults, args.grace)
        results["fault_times"] = [
            {"name": f["name"], "at": f["start"] - run.t0, "lasted": f["end"] - f["start"]} for f in faults
        ]
        results["database"] = check_database(run, faults, args.settle)
        results["alive"] = services.alive()
        results["load_before"], results["load_during"], results["load_after"] = (
            load_before,
            ", ".join(load_during),
            loadavg(),
        )
        results["command"] = " ".join(sys.argv)
        ok = report(results)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    finally:
        services.cleanup()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
