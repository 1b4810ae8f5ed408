from celery import shared_task

from lianqi.jobs.periodic import PeriodicTask

from . import services


@shared_task(name="checkpoints.purge_personal_data", base=PeriodicTask, ignore_result=True)
def purge_personal_data() -> int:
    """Hourly: delete checkpoint entries older than PERSONAL_DATA_RETENTION_DAYS."""
    return services.purge_personal_data()
