"""Entries by month on PostgreSQL: the purge drops whole months and deletes rows only in the
boundary month; rows in the default partition move to a month of their own; resends never
duplicate although the idempotency key now includes the time. The resend tests also run on
SQLite, where the table stays plain."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from lianqi.checkpoints import services
from lianqi.checkpoints.models import Alert, Entry, KeyPerson, KeyPersonList, Verification
from lianqi.core import partitioning

from .conftest import ID_B
from .test_retention import make

TABLE = "checkpoints_entry"


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("partitions exist on PostgreSQL only")


def partition_names():
    with connection.cursor() as cursor:
        return partitioning.partitions(cursor, TABLE)


def partition_of(entry):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_table_is_partitioned_by_month_with_a_default(postgres_only):
    this_month = partitioning.month_start(timezone.localdate())
    names = partition_names()
    for n in range(4):
        assert partitioning.partition_name(TABLE, partitioning.add_months(this_month, n)) in names
    assert f"{TABLE}_default" in names
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(a.attname ORDER BY a.attname) FROM pg_index x JOIN pg_attribute a "
            "ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey) WHERE x.indrelid = %s::regclass AND x.indisprimary",
            [TABLE],
        )
        assert cursor.fetchone()[0] == ["at", "id"]
        # Nothing may point at the partitioned table's id with a database foreign key.
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass", [TABLE])
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_purge_drops_whole_months_and_deletes_only_in_the_boundary_month(postgres_only, checkpoint, time_machine):
    now = local(2026, 3, 30, 10, 0)  # retention 28 days: the cut-off is 2026-03-02 10:00
    time_machine.move_to(now, tick=False)
    with connection.cursor() as cursor:
        partitioning.ensure_months(
            cursor, TABLE, "at", partitioning.months_between(datetime.date(2026, 1, 1), now.date())
        )
    january = make(checkpoint, local(2026, 1, 15, 9, 0))
    february = [make(checkpoint, local(2026, 2, d, 9, 0)) for d in (1, 28)]
    march_old = make(checkpoint, local(2026, 3, 2, 9, 59))
    kept = [
        make(checkpoint, local(2026, 3, 2, 10, 0)),
        make(checkpoint, local(2026, 3, 29, 8, 0)),
        make(checkpoint, now),
    ]
    assert partition_of(january) == f"{TABLE}_p202601" and partition_of(kept[0]) == f"{TABLE}_p202603"
    alert = Alert.objects.create(
        checkpoint=checkpoint, entry=january, reasons="fever", person="某*", health_code="green"
    )
    key_list = KeyPersonList.objects.create(
        name="名单", jurisdiction=checkpoint.jurisdiction, uploaded_by=checkpoint.guards.get()
    )
    person = KeyPerson.objects.create(key_list=key_list, id_hash="h", id_masked="4101**********0001")
    verification = Verification.objects.create(
        key_person=person,
        entry=february[0],
        checkpoint=checkpoint,
        jurisdiction=checkpoint.jurisdiction,
        person="某*",
        id_masked="4101**********0001",
        seen_at=february[0].at,
        deadline=february[0].at.date(),
    )

    assert services.purge_personal_data() == 4

    names = partition_names()
    assert f"{TABLE}_p202601" not in names and f"{TABLE}_p202602" not in names
    assert f"{TABLE}_p202603" in names  # the boundary month: only its old row was deleted
    assert set(Entry.objects.values_list("pk", flat=True)) == {e.pk for e in kept}
    assert march_old.pk not in set(Entry.objects.values_list("pk", flat=True))
    alert.refresh_from_db()
    verification.refresh_from_db()
    assert alert.entry_id is None and alert.person == "某*"
    assert verification.entry_id is None
    assert services.purge_personal_data() == 0


@pytest.mark.django_db
def test_rows_in_the_default_partition_move_to_a_month_of_their_own(postgres_only, checkpoint):
    far = local(2031, 5, 10, 8, 0)  # no partition this far ahead: the row waits in the default
    entry = make(checkpoint, far)
    assert partition_of(entry) == f"{TABLE}_default"
    created = partitioning.ensure_ahead()
    assert f"{TABLE}_p203105" in created
    assert partition_of(entry) == f"{TABLE}_p203105"
    assert Entry.objects.get(pk=entry.pk).at == far
    assert partitioning.ensure_ahead() == []  # safe to run twice
    later = make(checkpoint, local(2031, 5, 20, 8, 0))
    assert partition_of(later) == f"{TABLE}_p203105"


@pytest.mark.django_db
def test_ensure_ahead_keeps_the_next_months_ready(postgres_only, settings):
    settings.PARTITION_MONTHS_AHEAD = 6
    created = partitioning.ensure_ahead()
    this_month = partitioning.month_start(timezone.localdate())
    expected = partitioning.partition_name(TABLE, partitioning.add_months(this_month, 6))
    assert expected in created and expected in partition_names()
    assert "reporting_dailyreport_p" + f"{partitioning.add_months(this_month, 6):%Y%m}" in created


@pytest.mark.django_db
def test_ensure_partitions_is_a_daily_job(settings):
    from lianqi.notifications.scheduler import run_due

    assert settings.CELERY_BEAT_SCHEDULE["ensure-partitions"] == {"task": "core.ensure_partitions", "schedule": 86400}
    assert "ensure-partitions" in run_due()


# --- idempotency with the time in the key (PostgreSQL and SQLite) -----------------------------
@pytest.mark.django_db
def test_a_resend_without_a_time_across_a_month_boundary_never_duplicates(post_entry):
    with time_machine.travel(local(2026, 11, 30, 23, 59, 50), tick=False):
        first = post_entry(client_id="untimed-1")
    with time_machine.travel(local(2026, 12, 1, 0, 0, 10), tick=False):
        again = post_entry(client_id="untimed-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Entry.objects.count() == 1


@pytest.mark.django_db
def test_a_resend_with_its_time_is_caught_by_the_constraint(post_entry, django_assert_max_num_queries):
    recorded_at = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
    first = post_entry(client_id="timed-1", recorded_at=recorded_at)
    # Token, checkpoint, the INSERT the constraint refuses (in a savepoint: set, roll back,
    # release), then the stored entry: no look-up before the INSERT, no second row.
    with django_assert_max_num_queries(7):
        again = post_entry(client_id="timed-1", recorded_at=recorded_at, temperature=38.5)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Entry.objects.count() == 1 and not Alert.objects.exists()


@pytest.mark.django_db
def test_a_time_a_little_ahead_is_kept_as_sent_so_a_resend_matches(post_entry):
    ahead = timezone.now() + datetime.timedelta(minutes=5)  # the phone's clock runs fast
    first = post_entry(client_id="fast-1", recorded_at=ahead.isoformat())
    assert abs(datetime.datetime.fromisoformat(first.json()["at"]) - ahead) < datetime.timedelta(seconds=1)
    with time_machine.travel(ahead + datetime.timedelta(minutes=1), tick=False):
        assert post_entry(client_id="fast-1", recorded_at=ahead.isoformat()).status_code == 200
    assert Entry.objects.count() == 1
    too_far = post_entry(client_id="fast-2", recorded_at=(timezone.now() + datetime.timedelta(minutes=11)).isoformat())
    assert too_far.status_code == 400 and too_far.json()["errors"]["recorded_at"][0]["code"] == "recorded_at"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_resends_without_a_time_store_one_entry(postgres_only, checkpoint, guard, entry_data):
    from django.db import connection

    barrier = threading.Barrier(3)
    results = []

    def send():
        try:
            barrier.wait()
            results.append(
                services.register_entry(checkpoint, actor=guard, data=entry_data(id_number=ID_B, client_id="race-1"))[1]
            )
        finally:
            connection.close()  # the thread's own connection; a healthy one outlives close_old_connections

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, True]
    assert Entry.objects.filter(client_id="race-1").count() == 1
