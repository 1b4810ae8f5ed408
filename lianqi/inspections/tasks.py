from celery import shared_task
from celery.schedules import crontab

# Merged into the beat schedule by whoever runs beat (see lianqi/celery.py); kept here so this
# app's periodic work is declared beside the task.
BEAT_SCHEDULE = {
    "generate-recurring-inspections": {
        "task": "inspections.generate_recurring",
        "schedule": crontab(hour=0, minute=30),
    },
}


@shared_task(name="inspections.generate_recurring", ignore_result=True)
def generate_recurring() -> int:
    from .scheduling import generate

    return generate()
