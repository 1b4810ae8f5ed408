"""Celery really runs: a worker process on the machine's Redis delivers a deadline reminder."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from lianqi.notifications.models import Notification

from .conftest import reset_broker_pool

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_broker():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL)")
    base = settings.REDIS_URL.rsplit("/", 1)[0]
    return f"{base}/14"  # a database of its own, so stale messages of other runs never interfere


@pytest.fixture
def celery_app(worker_broker):
    from lianqi.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=worker_broker, task_always_eager=False)
    reset_broker_pool(app)
    yield app
    app.conf.update(saved)
    reset_broker_pool(app)


def test_worker_delivers_a_deadline_reminder(celery_app, worker_broker, cast, hazard, monkeypatch):
    from lianqi.hazards.workflow import HAZARD_WORKFLOW
    from lianqi.notifications.tasks import check_deadlines

    monkeypatch.setattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    HAZARD_WORKFLOW.perform(
        hazard, "issue_order", actor=cast.inspector_a, deadline=timezone.localdate() + datetime.timedelta(days=1)
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": worker_broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LIANQI_TESTING": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    celery_app.control.purge()
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lianqi",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        check_deadlines.delay()
        deadline = time.time() + 60
        delivered = None
        while time.time() < deadline and delivered is None:
            delivered = Notification.objects.filter(
                recipient=cast.enterprise_user, event__kind="hazard.reminder", channel="inapp"
            ).first()
            time.sleep(0.3)
            assert worker.poll() is None, worker.stdout.read()
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert delivered is not None, output
    assert hazard.number in delivered.title
