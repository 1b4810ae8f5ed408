from celery import shared_task


@shared_task(name="dashboards.scheduled_bulletins")
def scheduled_bulletins_task() -> list:
    from .bulletins import scheduled_bulletins

    return scheduled_bulletins()
