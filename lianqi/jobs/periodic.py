"""Periodic jobs run once per schedule slot, however many beats send them.

Production may run Celery beat on more than one machine, so that losing one does not stop the
reminders; then every due job is sent once by each beat. Each send carries the start of its
schedule slot (the job's interval, counted from the epoch), stamped by :class:`SlotScheduler`, the
beat scheduler named in settings. The worker that takes a send first claims
``periodic:<task>:<slot start>`` in Redis (``SET NX EX``, through the cache's ``add``) and runs the
job; a worker taking the other beat's send of the same slot finds the claim and skips it. Every
run leaves a :class:`~lianqi.jobs.models.PeriodicRun` row, unique per task and slot, so the
database refuses a second run even if Redis lost the claim (a restart, a flush).

The in-process scheduler of the embedded default (``manage.py run_scheduler``) claims the same
keys through :func:`run_once`, so it and a beat never run one slot twice either.

A call that does not come from a schedule (a test, a shell, ``.delay()`` in code) just runs.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any

from celery import Task
from celery.beat import PersistentScheduler
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

SLOT_HEADER = "lianqi_periodic_slot"  # epoch seconds at which the send's slot starts
INTERVAL_HEADER = "lianqi_periodic_interval"  # the job's interval in seconds
HISTORY_DAYS = 30  # PeriodicRun rows older than this are deleted as new runs are recorded


def interval_seconds(schedule) -> int:
    """A beat entry's period in whole seconds (at least 1); a crontab counts per minute."""
    if isinstance(schedule, int | float):
        return max(1, int(schedule))
    if isinstance(schedule, datetime.timedelta):
        return max(1, int(schedule.total_seconds()))
    run_every = getattr(schedule, "run_every", None)  # celery.schedules.schedule
    if isinstance(run_every, datetime.timedelta):
        return max(1, int(run_every.total_seconds()))
    return 60


def slot_start(now: float, interval: int) -> int:
    """The start (epoch seconds) of the slot ``now`` falls in: slots are the interval's multiples."""
    return int(now // interval) * interval


def claim_key(task_name: str, slot: int) -> str:
    return f"periodic:{task_name}:{slot}"


def claim(task_name: str, slot: int, interval: int) -> bool:
    """Claim a task's slot; True for the first caller only. The claim outlives the slot by one
    interval (at least a minute) so that a late duplicate still finds it."""
    return cache.add(claim_key(task_name, slot), _worker_name(), timeout=max(2 * interval, 60))


def run_once(task_name: str, slot: int, interval: int, body: Callable[[], Any]) -> tuple[bool, Any]:
    """Run ``body`` if this task's slot is not claimed yet; return (ran, result)."""
    from .models import PeriodicRun

    if not claim(task_name, slot, interval):
        logger.info("periodic %s: slot %s already claimed, skipped", task_name, slot)
        return False, None
    slot_at = datetime.datetime.fromtimestamp(slot, tz=datetime.UTC)
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(task=task_name, slot=slot_at, worker=_worker_name())
    except IntegrityError:  # Redis forgot the claim, the database did not
        logger.warning("periodic %s: slot %s already ran (recorded), skipped", task_name, slot)
        return False, None
    try:
        result = body()
    except Exception:
        _finish(run, succeeded=False)
        raise
    _finish(run, succeeded=True)
    return True, result


def _finish(run, *, succeeded: bool) -> None:
    from .models import PeriodicRun

    run.finished_at = timezone.now()
    run.succeeded = succeeded
    run.save(update_fields=["finished_at", "succeeded"])
    cutoff = run.slot - datetime.timedelta(days=HISTORY_DAYS)
    PeriodicRun.objects.filter(task=run.task, slot__lt=cutoff).delete()


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _header(request, name: str):
    # A worker puts a message's headers on the request; an eager apply() keeps them in .headers.
    value = getattr(request, name, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(name)
    return value


class PeriodicTask(Task):
    """Base of every task in ``CELERY_BEAT_SCHEDULE``: ``@shared_task(name=…, base=PeriodicTask)``.

    A send stamped with a slot runs only if its slot is unclaimed. A send from a beat that does not
    use :class:`SlotScheduler` (no stamp, but Celery's ``celery_beat_task`` header) is slotted by
    the time it runs, which still keeps two beats from running it twice while the queue is short."""

    def __call__(self, *args, **kwargs):
        slot = _header(self.request, SLOT_HEADER)
        interval = _header(self.request, INTERVAL_HEADER)
        if slot is None and _header(self.request, "celery_beat_task"):
            interval = _beat_interval(self.name)
            slot = slot_start(time.time(), interval)
        if slot is None:
            return Task.__call__(self, *args, **kwargs)
        _ran, result = run_once(self.name, int(slot), int(interval), lambda: Task.__call__(self, *args, **kwargs))
        return result


def _beat_interval(task_name: str) -> int:
    from django.conf import settings

    intervals = [
        interval_seconds(entry["schedule"])
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == task_name
    ]
    return min(intervals, default=60)


class SlotScheduler(PersistentScheduler):
    """Celery beat's file-backed scheduler, stamping each send with its schedule slot.

    Sends also expire after one interval (at least a minute): when workers come back from an
    outage, they run the current slot, not every slot missed."""

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        interval = interval_seconds(entry.schedule)
        headers = {
            **entry.options.get("headers", {}),
            SLOT_HEADER: slot_start(time.time(), interval),
            INTERVAL_HEADER: interval,
        }
        entry.options = {"expires": max(interval, 60), **entry.options, "headers": headers}
        return super().apply_async(entry, producer=producer, advance=advance, **kwargs)
