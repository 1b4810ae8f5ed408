"""Periodic jobs of the shared pieces (CELERY_BEAT_SCHEDULE; in-process by run_scheduler)."""

from celery import shared_task

from lianqi.jobs.periodic import PeriodicTask


@shared_task(name="core.ensure_partitions", base=PeriodicTask, ignore_result=True)
def ensure_partitions() -> list[str]:
    """Daily: month partitions ready ahead of time, rows moved out of the default partition."""
    from .partitioning import ensure_ahead

    return ensure_ahead()
