"""The database is the outbox: an event whose dispatch could not be queued (the broker, Redis,
was down when the request committed) is sent by the periodic ``dispatch_pending`` job later,
and the request that raised it still succeeds."""

import datetime
import socket

import pytest
from django.conf import settings
from django.utils import timezone

from lianqi.notifications import events
from lianqi.notifications.models import Event, Notification

from .conftest import reset_broker_pool


@pytest.fixture
def broker_down(monkeypatch):
    """Celery publishes to a Redis that is not running."""
    from lianqi.celery import app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    keys = ("broker_url", "task_always_eager", "broker_connection_timeout", "task_publish_retry_policy")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=f"redis://127.0.0.1:{port}/0",
        task_always_eager=False,
        broker_connection_timeout=1,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1},
    )
    reset_broker_pool(app)
    monkeypatch.setattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    yield
    app.conf.update(saved)
    reset_broker_pool(app)
    monkeypatch.setattr(settings, "CELERY_TASK_ALWAYS_EAGER", True)


def _age(seconds):
    Event.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))


@pytest.mark.django_db
def test_a_fever_alert_raised_while_the_broker_is_down_is_delivered_later(post_entry, cast, broker_down, on_commit_now):
    response = post_entry(temperature=38.4, client_id="outage-1")
    assert response.status_code == 201, response.content  # the entry is stored, not a 500
    event = Event.objects.get(kind="checkpoint.alert")
    assert event.dispatched_at is None
    assert not Notification.objects.exists()

    # Too recent: its own dispatch may still be on its way.
    assert events.dispatch_pending() == 0
    _age(events.PENDING_GRACE_SECONDS + 5)
    assert events.dispatch_pending() == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    in_app = set(Notification.objects.filter(event=event, channel="inapp").values_list("recipient", flat=True))
    assert {cast.enterprise_user.pk, cast.inspector_a.pk} <= in_app

    # Once sent, the next run finds nothing and sends nothing twice.
    count = Notification.objects.count()
    assert events.dispatch_pending() == 0
    assert Notification.objects.count() == count


@pytest.mark.django_db
def test_an_event_whose_subject_is_gone_is_not_retried_forever(post_entry, broker_down, on_commit_now):
    from lianqi.checkpoints.models import Alert

    post_entry(temperature=38.4, client_id="outage-2")
    Alert.objects.all().delete()
    _age(events.PENDING_GRACE_SECONDS + 5)
    assert events.dispatch_pending() == 1
    assert not Notification.objects.exists()
    assert events.dispatch_pending() == 0
