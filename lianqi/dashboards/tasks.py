from celery import shared_task

from lianqi.jobs.periodic import PeriodicTask


@shared_task(name="dashboards.scheduled_bulletins", base=PeriodicTask)
def scheduled_bulletins_task() -> list:
    from .bulletins import scheduled_bulletins

    return scheduled_bulletins()
