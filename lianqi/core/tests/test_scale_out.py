"""Scale-out, proven on one machine: two app servers behind nginx, one PostgreSQL, one Redis, two
Celery workers and two beats (docs/deploy.md, "Scale-out").

A person logs in through the balancer and is served by both app servers with one session; a
photo uploaded through one server is downloaded through the other; a periodic job sent by both
beats runs exactly once per slot. The processes see the test database pytest-django made (the
test is transactional, so its rows are committed) and are all stopped when it ends, pass or fail.

Needs PostgreSQL, Redis and nginx (Debian's ``nginx``); without nginx the test is skipped with
the reason, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from django.utils import timezone

from lianqi.accounts.tests.factories import PASSWORD
from lianqi.checklists.tests.factories import make_version
from lianqi.inspections.choices import InspectionKind
from lianqi.inspections.models import Photo
from lianqi.inspections.services import plan_inspection
from lianqi.jobs.models import PeriodicRun

ROOT = Path(__file__).resolve().parents[3]
HEARTBEAT_SECONDS = 2
SLOTS = 4  # schedule slots to watch the heartbeat through
SKIPPED = r"periodic jobs\.heartbeat: slot \d+ already claimed, skipped"  # lianqi.jobs.periodic's log
pytestmark = [pytest.mark.postgres, pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]


def _nginx() -> str:
    path = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if path:
        return path
    reason = "nginx is not installed (apt-get install nginx); the scale-out test needs it as the load balancer."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    client_max_body_size 20m;
    upstream lianqi {{
        server 127.0.0.1:{app1};
        server 127.0.0.1:{app2};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://lianqi;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


class Processes:
    """Started processes, each in its own process group with its output in a file; ``stop``
    ends every group (gunicorn's and Celery's children too): TERM, then KILL after a grace."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.started: dict[str, subprocess.Popen] = {}
        self.stopped: set[str] = set()

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        with open(self.log_path(name), "wb") as log:
            process = subprocess.Popen(  # noqa: S603 - our own commands
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.started[name] = process
        return process

    def log_path(self, name: str) -> Path:
        return self.tmp / f"{name}.log"

    def log(self, name: str) -> str:
        return self.log_path(name).read_text(errors="replace")

    def check_alive(self) -> None:
        for name, process in self.started.items():
            assert name in self.stopped or process.poll() is None, (
                f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}"
            )

    def stop(self, *names: str) -> None:
        names = names or tuple(self.started)
        self.stopped.update(names)
        chosen = [self.started[name] for name in names]
        for process in chosen:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in chosen:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # whatever of the group is left
            process.wait()

    def tails(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)[-1500:]}" for name in self.started)


def _wait_for(what: str, check, processes: Processes, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{processes.tails()}")


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading
        return False


def _csrf(session: requests.Session, base: str) -> str:
    page = session.get(f"{base}/accounts/login/", timeout=10)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def _log_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(session, base)},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _served_by(session: requests.Session, url: str, count: int) -> list[tuple[str, requests.Response]]:
    answers = []
    for _ in range(count):
        response = session.get(url, allow_redirects=False, timeout=10)
        answers.append((response.headers.get("X-Served-By"), response))
    return answers


@pytest.fixture
def scale_out(tmp_path, cast):
    """Two app servers (app1, app2) behind nginx, two workers and two beats; yields
    (balancer URL, Processes, broker URL)."""
    nginx = _nginx()
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL)")
    db = connection.settings_dict
    broker = f"{settings.REDIS_URL.rsplit('/', 1)[0]}/13"  # a database of its own: no stale messages
    redis.Redis.from_url(broker).flushdb()
    (tmp_path / "media").mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LIANQI_TESTING": "1",  # the test users' password hasher
        "SECRET_KEY": secrets.token_urlsafe(50),  # one key for every server: sessions signed by one verify on the other
        "MEDIA_ROOT": str(tmp_path / "media"),  # the uploads directory both servers share
        "HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",  # logs readable while the processes run
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    python = sys.executable
    processes = Processes(tmp_path)
    try:
        celery = [python, "-m", "celery", "-A", "lianqi"]
        for name in ("worker1", "worker2"):
            processes.start(
                name,
                [*celery, "worker", "--pool=solo", f"--hostname={name}@%h", "--loglevel=INFO"]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
                env,
            )
        for name in ("beat1", "beat2"):
            processes.start(
                name,
                [*celery, "beat", f"--schedule={tmp_path / name}", "--max-interval=1", "--loglevel=INFO"],
                env,
            )
        ports = {}
        for name in ("app1", "app2"):
            ports[name] = _free_port()
            processes.start(
                name,
                [python, "-m", "gunicorn", "lianqi.wsgi:application", f"--bind=127.0.0.1:{ports[name]}"]
                + ["--workers=1", "--threads=2", "--graceful-timeout=5", "--log-level=warning"],
                {**env, "LIANQI_SERVER_NAME": name},
            )
        port = _free_port()
        conf = tmp_path / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp_path, app1=ports["app1"], app2=ports["app2"], port=port))
        processes.start(
            "nginx",
            [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "nginx-error.log"), "-c", str(conf)]
            + ["-g", "daemon off; master_process off;"],
            env,
        )
        for name in ("app1", "app2"):
            _wait_for(name, lambda name=name: _answers(f"http://127.0.0.1:{ports[name]}/healthz"), processes)
        _wait_for("nginx", lambda: _answers(f"http://127.0.0.1:{port}/healthz"), processes)
        yield f"http://127.0.0.1:{port}", processes, broker
    finally:
        processes.stop()


def test_two_app_servers_behind_nginx_share_sessions_uploads_and_periodic_jobs(scale_out, cast, tmp_path):
    base, processes, broker = scale_out
    inspection = plan_inspection(
        actor=cast.office,
        kind=InspectionKind.ROUTINE,
        enterprise=cast.enterprise_a,
        template_version=make_version(),
        planned_date=timezone.localdate(),
        inspectors=[cast.inspector_a],
    )

    # One login through the balancer; both servers then serve that session.
    inspector = _log_in(base, "inspector_a")
    answers = _served_by(inspector, f"{base}/", 4)
    assert {server for server, _ in answers} == {"app1", "app2"}
    assert all(response.status_code == 200 for _, response in answers), [r.status_code for _, r in answers]
    assert all(f"<div>{cast.inspector_a}</div>" in response.text for _, response in answers)

    # Without the session cookie, both servers send the visitor to the login page.
    anonymous = _served_by(requests.Session(), f"{base}/", 2)
    assert {server for server, _ in anonymous} == {"app1", "app2"}
    assert all("/accounts/login/" in response.headers["Location"] for _, response in anonymous)

    # A photo uploaded through one server is stored through Django's storage and served by both.
    upload = inspector.post(
        f"{base}/inspections/{inspection.pk}/photo/",
        data={"code": "", "csrfmiddlewaretoken": inspector.cookies["csrftoken"]},
        files={"photo": ("gauge.png", _png(), "image/png")},
        allow_redirects=False,
        timeout=10,
    )
    assert upload.status_code == 302, upload.text[:500]
    photo = Photo.objects.get(inspection=inspection)
    stored = (tmp_path / "media" / photo.image.name).read_bytes()
    downloads = _served_by(inspector, f"{base}/inspections/photos/{photo.pk}/", 2)
    assert {server for server, _ in downloads} == {"app1", "app2"}
    for server, response in downloads:
        assert response.status_code == 200, (server, response.status_code)
        assert response.content == stored
        assert response.content.startswith(b"\x89PNG")

    # Someone who may not see the inspection gets 404 from either server.
    outsider = _log_in(base, "outsider")
    refused = _served_by(outsider, f"{base}/inspections/photos/{photo.pk}/", 2)
    assert {server for server, _ in refused} == {"app1", "app2"}
    assert [response.status_code for _, response in refused] == [404, 404]

    # Logging out through one server ends the session on both.
    logout = inspector.post(
        f"{base}/accounts/logout/",
        data={"csrfmiddlewaretoken": inspector.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=10,
    )
    assert logout.status_code == 302
    after = _served_by(inspector, f"{base}/", 2)
    assert {server for server, _ in after} == {"app1", "app2"}
    assert all("/accounts/login/" in response.headers["Location"] for _, response in after)

    # Both beats send the heartbeat every slot; it runs once per slot.
    heartbeats = PeriodicRun.objects.filter(task="jobs.heartbeat")

    def sent_by(beat):
        return processes.log(beat).count("Sending due task heartbeat (jobs.heartbeat)")

    def watched_enough():
        return sent_by("beat1") >= SLOTS and sent_by("beat2") >= SLOTS and heartbeats.count() >= SLOTS

    _wait_for(f"both beats to send {SLOTS} heartbeats", watched_enough, processes, timeout=60)
    processes.stop("beat1", "beat2")
    queue = redis.Redis.from_url(broker)

    def count(pattern):
        return len(re.findall(pattern, processes.log("worker1") + processes.log("worker2")))

    def all_handled():  # the queue is empty and every heartbeat the workers took has run or been skipped
        runs = heartbeats.filter(finished_at__isnull=False).count()
        received = count(r"Task jobs\.heartbeat\[[\w-]+\] received")
        return queue.llen("celery") == 0 and runs + count(SKIPPED) == received

    _wait_for("the last heartbeats to be handled", all_handled, processes, timeout=20)
    slots = sorted(int(run.slot.timestamp()) for run in heartbeats)
    sent = {name: sent_by(name) for name in ("beat1", "beat2")}
    received, skipped = count(r"Task jobs\.heartbeat\[[\w-]+\] received"), count(SKIPPED)
    worker_logs = processes.log("worker1") + processes.log("worker2")
    detail = f"slots {slots}, sent {sent}, received {received}, skipped {skipped}\n{processes.tails()}"

    assert len(slots) >= SLOTS, detail
    assert slots == list(range(slots[0], slots[-1] + 1, HEARTBEAT_SECONDS)), detail  # every slot, once
    assert received >= sum(sent.values()) - 2, detail  # at most one send per beat lost to its stop
    assert received == len(slots) + skipped, detail  # each send either ran or was skipped
    assert skipped >= SLOTS - 1, detail  # the beats sent the same slots, and the duplicates were skipped
    assert "already ran (recorded)" not in worker_logs, detail  # Redis alone kept the duplicates out
