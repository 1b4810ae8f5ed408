"""An in-process scheduler for the embedded default (no Celery beat): runs the periodic jobs of
``CELERY_BEAT_SCHEDULE`` at their intervals. Each run claims its time slot in the shared cache
(``lianqi.jobs.periodic.run_once``, the claim beat's sends take too), so two schedulers, or a
scheduler and a beat, never run the same slot twice."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import close_old_connections, connection

from lianqi.jobs import periodic

logger = logging.getLogger(__name__)


def _task_by_name(name: str):
    from lianqi.celery import app

    app.loader.import_default_modules()
    return app.tasks[name]


def run_due(now: float | None = None) -> list[str]:
    """Run every job whose slot has not been claimed yet; return the names run."""
    now = time.time() if now is None else now
    ran = []
    for job, spec in settings.CELERY_BEAT_SCHEDULE.items():
        interval = periodic.interval_seconds(spec["schedule"])
        if not connection.in_atomic_block:  # a long-running loop must not keep a dead connection
            close_old_connections()
        task = _task_by_name(spec["task"])
        try:
            done, _result = periodic.run_once(task.name, periodic.slot_start(now, interval), interval, task.apply)
        except Exception:  # a failing job must not stop the others
            logger.exception("periodic job %s failed", job)
            continue
        if done:
            ran.append(job)
    return ran


def run_forever(tick: float = 5.0) -> None:  # pragma: no cover - a loop
    while True:
        ran = run_due()
        if ran:
            logger.info("ran %s", ", ".join(ran))
        time.sleep(tick)
