"""Periodic jobs of daily reporting (CELERY_BEAT_SCHEDULE; in-process by run_scheduler)."""

import datetime

from celery import shared_task
from django.utils import timezone

from lianqi.jobs.periodic import PeriodicTask


@shared_task(name="reporting.remind_missing", base=PeriodicTask)
def remind_missing_task() -> int:
    from .services import remind_missing

    return remind_missing()


@shared_task(name="reporting.refresh_rollups", base=PeriodicTask)
def refresh_rollups_task() -> int:
    """Rebuild today's and yesterday's rollups from the base tables (heals anything a crash
    between a report and its cell update could have left behind)."""
    from .rates import build_days

    today = timezone.localdate()
    return build_days([today - datetime.timedelta(days=1), today])


@shared_task(name="reporting.sync_tracking", base=PeriodicTask)
def sync_tracking_task() -> dict:
    from .services import sync_tracking

    return sync_tracking()
