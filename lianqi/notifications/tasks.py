from celery import shared_task

from lianqi.jobs.periodic import PeriodicTask

from . import deadlines, events, webhooks


@shared_task(name="notifications.dispatch_event", ignore_result=True)
def dispatch_event(event_id: int) -> None:
    events.dispatch(event_id)


@shared_task(name="notifications.dispatch_pending", base=PeriodicTask, ignore_result=True)
def dispatch_pending() -> int:
    return events.dispatch_pending()


@shared_task(name="notifications.deliver_webhook", ignore_result=True)
def deliver_webhook(delivery_id: int) -> str:
    return webhooks.deliver(delivery_id)


@shared_task(name="notifications.retry_webhooks", base=PeriodicTask, ignore_result=True)
def retry_webhooks() -> int:
    count = 0
    for delivery_id in webhooks.due_deliveries().values_list("pk", flat=True)[:500]:
        webhooks.deliver(delivery_id)
        count += 1
    return count


@shared_task(name="notifications.check_deadlines", base=PeriodicTask, ignore_result=True)
def check_deadlines() -> int:
    return deadlines.check_deadlines()
