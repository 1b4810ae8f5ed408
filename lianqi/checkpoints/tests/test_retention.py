"""Entries are deleted after the retention period by the hourly job; nothing younger goes."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from lianqi.checkpoints import services
from lianqi.checkpoints.models import Alert, Entry

pytestmark = pytest.mark.django_db


def make(checkpoint, at, **extra):
    return Entry.objects.create(
        checkpoint=checkpoint,
        at=at,
        name="某人",
        id_masked="4101**********0001",
        id_hash="h",
        phone_masked="138****0000",
        phone_hash="p",
        health_code="green",
        temperature="36.6",
        decision="admitted",
        **extra,
    )


def test_purge_removes_exactly_the_entries_older_than_the_period(checkpoint, time_machine):
    now = timezone.make_aware(datetime.datetime(2026, 3, 30, 10, 0))
    time_machine.move_to(now, tick=False)
    period = datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    assert period.days == 28
    older = [make(checkpoint, now - period - datetime.timedelta(seconds=s)) for s in (1, 3600, 86400 * 30)]
    kept = [
        make(checkpoint, now - period),  # exactly the period: not older, kept
        make(checkpoint, now - period + datetime.timedelta(seconds=1)),
        make(checkpoint, now - datetime.timedelta(days=1)),
        make(checkpoint, now),
    ]
    alert = Alert.objects.create(
        checkpoint=checkpoint, entry=older[0], reasons="fever", person="某*", health_code="green"
    )
    assert services.purge_personal_data() == 3
    assert set(Entry.objects.values_list("pk", flat=True)) == {e.pk for e in kept}
    alert.refresh_from_db()
    assert alert.entry is None and alert.person == "某*"  # the masked summary stays
    assert services.purge_personal_data() == 0  # safe to run twice


def test_purge_works_in_batches(checkpoint):
    old = timezone.now() - datetime.timedelta(days=40)
    for _ in range(7):
        make(checkpoint, old)
    assert services.purge_personal_data(batch=3) == 7


def test_retention_follows_the_setting(checkpoint, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 7
    make(checkpoint, timezone.now() - datetime.timedelta(days=8))
    make(checkpoint, timezone.now() - datetime.timedelta(days=6))
    assert services.purge_personal_data() == 1


def test_purge_is_a_periodic_job_the_scheduler_runs(checkpoint):
    from lianqi.notifications.scheduler import run_due

    assert settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]["task"] == "checkpoints.purge_personal_data"
    make(checkpoint, timezone.now() - datetime.timedelta(days=29))
    assert "purge-personal-data" in run_due()
    assert not Entry.objects.exists()
