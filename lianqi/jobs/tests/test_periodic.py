"""Periodic jobs run once per schedule slot, however many beats send them (lianqi.jobs.periodic).

The claims go to the configured cache: the machine's Redis when REDIS_URL is set, as in CI."""

import threading
import time

import pytest
import time_machine
from celery.utils.imports import symbol_by_name
from django.conf import settings
from django.core.cache import cache

from lianqi.celery import app
from lianqi.jobs import periodic
from lianqi.jobs.models import PeriodicRun
from lianqi.jobs.tasks import heartbeat

SLOT = 1_800_000_000  # a multiple of every interval used below


def _concurrently(count, func):
    """Run ``func`` in ``count`` threads released at the same instant; return their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        from django.db import connection

        barrier.wait()
        try:
            results[index] = func()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_of_one_slot_run_the_body_once():
    calls = []

    def body():
        calls.append(threading.get_ident())
        time.sleep(0.2)  # still running when the other caller tries
        return "done"

    results = _concurrently(2, lambda: periodic.run_once("test.job", SLOT, 60, body))

    assert sorted(results, key=lambda r: r[0]) == [(False, None), (True, "done")]
    assert len(calls) == 1
    run = PeriodicRun.objects.get(task="test.job")
    assert run.succeeded is True and run.finished_at is not None
    assert int(run.slot.timestamp()) == SLOT


@pytest.mark.django_db(transaction=True)
def test_two_beats_sends_of_a_slot_run_once_and_the_next_slot_runs_again():
    headers = {periodic.SLOT_HEADER: SLOT, periodic.INTERVAL_HEADER: 60}
    _concurrently(2, lambda: heartbeat.apply(headers=headers))
    assert PeriodicRun.objects.filter(task="jobs.heartbeat").count() == 1

    heartbeat.apply(headers={**headers, periodic.SLOT_HEADER: SLOT + 60})
    slots = sorted(int(run.slot.timestamp()) for run in PeriodicRun.objects.filter(task="jobs.heartbeat"))
    assert slots == [SLOT, SLOT + 60]


@pytest.mark.django_db
def test_calls_outside_a_schedule_are_not_claimed():
    heartbeat()
    heartbeat.apply()
    assert not PeriodicRun.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_second_run_when_redis_lost_the_claim():
    calls = []
    assert periodic.run_once("test.job", SLOT, 60, lambda: calls.append(1))[0]
    cache.delete(periodic.claim_key("test.job", SLOT))  # a Redis restart

    assert periodic.run_once("test.job", SLOT, 60, lambda: calls.append(2)) == (False, None)
    assert calls == [1]
    assert PeriodicRun.objects.filter(task="test.job").count() == 1


@pytest.mark.django_db
def test_a_failing_run_is_recorded_and_not_repeated_in_its_slot():
    def boom():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        periodic.run_once("test.job", SLOT, 60, boom)
    assert PeriodicRun.objects.get(task="test.job").succeeded is False
    assert periodic.run_once("test.job", SLOT, 60, lambda: "again") == (False, None)


@pytest.mark.django_db
def test_the_claim_is_a_redis_key_that_expires():
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    assert periodic.claim("test.job", SLOT, 900)
    client = cache._cache.get_client()
    ttl = client.ttl(cache.make_and_validate_key(periodic.claim_key("test.job", SLOT)))
    assert 1790 <= ttl <= 1800  # two intervals
    assert not periodic.claim("test.job", SLOT, 900)
    assert periodic.claim("test.job", SLOT + 900, 900)


@pytest.mark.django_db
def test_old_runs_are_deleted_as_new_ones_are_recorded():
    periodic.run_once("test.job", SLOT - 31 * 86400, 60, lambda: None)
    periodic.run_once("test.job", SLOT - 29 * 86400, 60, lambda: None)
    periodic.run_once("test.job", SLOT, 60, lambda: None)
    assert PeriodicRun.objects.filter(task="test.job").count() == 2


def test_slots_are_multiples_of_the_interval():
    assert periodic.slot_start(SLOT + 59.9, 60) == SLOT
    assert periodic.slot_start(SLOT + 60, 60) == SLOT + 60
    assert periodic.interval_seconds(3600) == 3600


def test_every_scheduled_task_runs_once_per_slot_and_beat_stamps_slots():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert isinstance(app.tasks[entry["task"]], periodic.PeriodicTask), name
    assert symbol_by_name(settings.CELERY_BEAT_SCHEDULER) is periodic.SlotScheduler


@pytest.mark.django_db
def test_two_beats_with_the_slot_scheduler_run_a_due_job_once(tmp_path):
    """Two beats (eager here: tasks run in-process as they are sent) send the same due job."""
    interval = periodic.interval_seconds(settings.CELERY_BEAT_SCHEDULE["heartbeat"]["schedule"])
    beats = [periodic.SlotScheduler(app=app, schedule_filename=str(tmp_path / f"beat{i}")) for i in (1, 2)]
    try:
        with time_machine.travel(SLOT + interval - 0.5, tick=False):  # the slot's last moment, for both
            for beat in beats:
                beat.apply_async(beat.schedule["heartbeat"])
        runs = list(PeriodicRun.objects.filter(task="jobs.heartbeat"))
        assert len(runs) == 1
        assert int(runs[0].slot.timestamp()) == SLOT
        assert beats[0].schedule["heartbeat"].options["expires"] == max(interval, 60)
    finally:
        for beat in beats:
            beat.close()


@pytest.mark.django_db
def test_sends_of_a_beat_without_the_slot_scheduler_are_slotted_when_they_run():
    with time_machine.travel(SLOT + 1, tick=False):
        heartbeat.apply(headers={"celery_beat_task": True})
        heartbeat.apply(headers={"celery_beat_task": True})
    assert PeriodicRun.objects.filter(task="jobs.heartbeat").count() == 1
