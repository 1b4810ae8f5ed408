from celery import shared_task


# Merged into the beat schedule by whoever runs beat (see lianqi/celery.py); kept here so this
# app's periodic work is declared beside the task.
@shared_task(name="inspections.generate_recurring", ignore_result=True)
def generate_recurring() -> int:
    from .scheduling import generate

    return generate()
