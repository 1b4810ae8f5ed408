"""The production profile as real processes: gunicorn with deploy/gunicorn.conf.py lets a request
in flight finish on SIGTERM; ``deploy/serve_prod.py`` refuses an incomplete environment and
runs gunicorn, a Celery worker and beat together; the nginx example is valid nginx."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
PORTS = range(8101, 8110)
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SECRETS = {
    "DEBUG": "0",
    "SECRET_KEY": "production-profile-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "PERSONAL_DATA_HASH_KEY": "0123456789abcdef0123456789abcdef-test",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
}


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8101-8109")


def _production_env(**extra) -> dict:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL)")
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "LIANQI_TESTING"))}
    env.update(SECRETS)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        LOG_FORMAT="json",
        LIANQI_TESTING="0",
    )
    env.update(extra)
    return env


def _get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
        return response.status, dict(response.headers), response.read().decode()


def _wait_until_up(url, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            return _get(url, timeout=2)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def _start_gunicorn(port, data_dir, **extra):
    (data_dir / "static").mkdir(exist_ok=True)  # as after collectstatic
    env = _production_env(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="4",
        LIANQI_DATA_DIR=str(data_dir),
        **extra,
    )
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "lianqi.core.tests.slow_wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _slow_request(port, seconds, result):
    try:
        result["response"] = _get(f"http://127.0.0.1:{port}/__slow?seconds={seconds}", timeout=60)
    except Exception as exc:  # noqa: BLE001 - the test looks at what happened
        result["error"] = exc


def _get_into(url, result):
    try:
        result["response"] = _get(url, timeout=30)
    except Exception as exc:  # noqa: BLE001 - the test looks at what happened
        result["error"] = exc


def _refuses(port) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_gunicorn_lets_the_request_in_flight_finish_on_sigterm(tmp_path):
    port = _free_port()
    server = _start_gunicorn(port, tmp_path, GUNICORN_GRACEFUL_TIMEOUT="20")
    try:
        status, headers, body = _wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        assert status == 200 and json.loads(body) == {"status": "ok"}
        assert len(headers["X-Request-ID"]) == 32
        status, _headers, body = _get(f"http://127.0.0.1:{port}/readyz")
        assert json.loads(body) == {"status": "ok", "database": "ok", "redis": "ok"}
        result = {}
        client = threading.Thread(target=_slow_request, args=(port, 7, result))
        client.start()
        time.sleep(1.5)  # the request is in the worker now
        server.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        # A request arriving now is not served: the worker has stopped accepting (a proxy in front
        # gets an error and passes the request to another app server).
        late = {}
        latecomer = threading.Thread(target=_get_into, args=(f"http://127.0.0.1:{port}/healthz", late))
        latecomer.start()
        time.sleep(1)
        assert client.is_alive(), ("the slow request ended early", result)
        assert server.poll() is None  # gunicorn waits for it
        client.join(30)
        latecomer.join(30)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert "error" not in result, (result, output)
    assert result["response"][0] == 200 and result["response"][2] == "finished after 7.0 s", output
    assert server.returncode == 0, output
    assert "error" in late and "response" not in late, late
    access = [json.loads(line) for line in output.splitlines() if '"gunicorn.access"' in line]
    slow = next(r for r in access if r["path"] == "/__slow")
    assert slow["status"] == 200 and slow["request_id"] == "slow-request" and slow["duration_ms"] >= 7000
    health = next(r for r in access if r["path"] == "/healthz")
    assert health["request_id"] and health["request_id"] == headers["X-Request-ID"]
    for line in output.splitlines():
        assert line.startswith("{") and json.loads(line), line  # every line is one JSON object


def test_gunicorn_cuts_a_request_longer_than_the_graceful_timeout(tmp_path):
    port = _free_port()
    server = _start_gunicorn(port, tmp_path, GUNICORN_GRACEFUL_TIMEOUT="1")
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        result = {}
        client = threading.Thread(target=_slow_request, args=(port, 8, result))
        client.start()
        time.sleep(1.5)
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
        stopped = time.monotonic() - started
        client.join(30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert stopped < 6, output  # it did not wait for the 8-second request
    assert "response" not in result, result


# --- serve_prod.py ------------------------------------------------------------------------------


def _serve_prod(*args, env, **kwargs):
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "deploy" / "serve_prod.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def test_serve_prod_lists_every_missing_setting_and_starts_nothing():
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": "sqlite:///x.db", "DEBUG": "1"}
    process = _serve_prod(env=env)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    for name in ("DEBUG", "SECRET_KEY", "PERSONAL_DATA_HASH_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert f"{name} must" in output, name
    assert "docs/deploy.md" in output and "started" not in output


def test_serve_prod_check_passes_with_a_complete_environment():
    process = _serve_prod("--check", env=_production_env())
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert "the environment is ready" in output


def test_serve_prod_runs_web_worker_and_beat_and_stops_them_together(tmp_path):
    port = _free_port()
    env = _production_env(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        CELERY_CONCURRENCY="1",
        LIANQI_DATA_DIR=str(tmp_path),
        CELERY_BROKER_URL=settings.REDIS_URL.rsplit("/", 1)[0] + "/13",
    )
    process = _serve_prod("--skip-migrate", "--skip-collectstatic", env=env, start_new_session=True)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/readyz", process)
        # Beat writes its schedule file once it runs; the worker answers a ping.
        deadline = time.monotonic() + 90
        pong = None
        while time.monotonic() < deadline and not (pong and (tmp_path / "celerybeat-schedule").exists()):
            ping = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "celery", "-A", "lianqi", "inspect", "ping", "--timeout", "2"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            pong = "pong" in ping.stdout
            assert process.poll() is None
        assert pong, "the Celery worker did not answer"
        assert list(tmp_path.glob("celerybeat-schedule*")), "beat did not start"
        os.kill(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 0, output
    for name in ("web", "worker", "beat"):
        assert f"started {name}" in output
    assert output.rstrip().endswith("serve-prod: stopped"), output[-2000:]
    assert _refuses(port)
    leftover = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True)  # noqa: S603, S607
    assert leftover.stdout.strip() == ""


# --- nginx example --------------------------------------------------------------------------------


def test_nginx_example_is_valid(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed")
    site = (ROOT / "deploy" / "nginx" / "lianqi.conf").read_text()
    # The example's certificate paths point at a real installation; use a throwaway pair here.
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=lianqi.test"]  # noqa: S607
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = site.replace("/etc/ssl/lianqi/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/lianqi/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "lianqi.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path};\n include {tmp_path}/lianqi.conf;\n}}\n"
    )
    check = subprocess.run(  # noqa: S603
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    # A file the application accepts (MAX_UPLOAD_MB) is never refused by nginx first, and media
    # is never served from disk (files go through the scoped views).
    limit = int(site.split("client_max_body_size ")[1].split("m;")[0])
    assert limit > settings.MAX_UPLOAD_MB
    assert "location /media/" in site and "return 404" in site.split("location /media/")[1].split("}")[0]
