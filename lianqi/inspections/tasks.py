from celery import shared_task

from lianqi.jobs.periodic import PeriodicTask


# Merged into the beat schedule by whoever runs beat (see lianqi/celery.py); kept here so this
# app's periodic work is declared beside the task.
@shared_task(name="inspections.generate_recurring", base=PeriodicTask, ignore_result=True)
def generate_recurring() -> int:
    from .scheduling import generate

    return generate()
