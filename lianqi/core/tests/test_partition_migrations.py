"""The migrations that partition checkpoint entries and daily reports by month, run on a real
PostgreSQL database holding rows of several months: backwards to the plain tables, rows
written, forwards (rows kept with their ids, each in its month), and backwards again."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lianqi.core import partitioning

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = [
    ("checkpoints", "0002_entry_key_includes_time_and_unconstrained_links"),
    ("reporting", "0001_daily_reports_tracking_rollups_materials"),
]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("tables are partitioned on PostgreSQL only")


def latest():
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] in ("checkpoints", "reporting")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def rows(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id, "{column}", tableoid::regclass::text FROM "{table}" ORDER BY id')  # noqa: S608
        return cursor.fetchall()


def partitioned(table):
    with connection.cursor() as cursor:
        return partitioning.is_partitioned(cursor, table)


def entry_fields(checkpoint, at, n):
    return {
        "checkpoint_id": checkpoint.pk,
        "at": at,
        "name": "某人",
        "id_masked": "4101**********0001",
        "id_hash": f"h{n}",
        "phone_masked": "138****0000",
        "phone_hash": "p",
        "health_code": "green",
        "temperature": "36.6",
        "decision": "admitted",
        "client_id": f"c{n}",
    }


def test_partitioning_keeps_every_row_in_its_month_and_reverses(cast):
    from lianqi.checkpoints.models import Checkpoint

    checkpoint = Checkpoint.objects.create(
        name="北门", kind="enterprise_gate", enterprise=cast.enterprise_a, jurisdiction=cast.street_a
    )
    try:
        old = migrate(BEFORE)
        assert not partitioned("checkpoints_entry") and not partitioned("reporting_dailyreport")
        Entry = old.get_model("checkpoints", "Entry")
        Alert = old.get_model("checkpoints", "Alert")
        DailyReport = old.get_model("reporting", "DailyReport")
        times = [local(2026, 8, 31, 23, 30), local(2026, 9, 1, 0, 30), local(2026, 10, 15, 12), timezone.now()]
        entries = [Entry.objects.create(**entry_fields(checkpoint, at, n)) for n, at in enumerate(times)]
        alert = Alert.objects.create(
            checkpoint_id=checkpoint.pk, entry_id=entries[0].pk, reasons="fever", person="某*", health_code="green"
        )
        days = [datetime.date(2026, 7, 31), datetime.date(2026, 8, 1), datetime.date(2026, 9, 30)]
        for day in days:
            DailyReport.objects.create(
                enterprise_id=cast.enterprise_a.pk,
                date=day,
                channel="web",
                submitted_at=timezone.now(),
                resumed=True,
                staff_total=10,
                staff_on_post=9,
                capacity_pct=80,
            )
        entries_before = [row[:2] for row in rows("checkpoints_entry", "at")]
        reports_before = [row[:2] for row in rows("reporting_dailyreport", "date")]

        migrate(latest())

        assert partitioned("checkpoints_entry") and partitioned("reporting_dailyreport")
        entries_after = rows("checkpoints_entry", "at")
        assert [row[:2] for row in entries_after] == entries_before  # same ids, same times
        # Months begin at local midnight: 23:30 on 31 August is August, 00:30 on 1 September is September.
        this_month = f"checkpoints_entry_p{timezone.localdate():%Y%m}"
        assert [row[2] for row in entries_after] == [
            "checkpoints_entry_p202608",
            "checkpoints_entry_p202609",
            "checkpoints_entry_p202610",
            this_month,
        ]
        reports_after = rows("reporting_dailyreport", "date")
        assert [row[:2] for row in reports_after] == reports_before
        assert [row[2] for row in reports_after] == [
            "reporting_dailyreport_p202607",
            "reporting_dailyreport_p202608",
            "reporting_dailyreport_p202609",
        ]
        with connection.cursor() as cursor:
            names = partitioning.partitions(cursor, "checkpoints_entry")
        ahead = partitioning.add_months(partitioning.month_start(timezone.localdate()), 3)
        assert partitioning.partition_name("checkpoints_entry", ahead) in names
        assert "checkpoints_entry_default" in names

        # The sequence goes on after the copied ids; the alert still points at its entry.
        from lianqi.checkpoints.models import Alert as CurrentAlert
        from lianqi.checkpoints.models import Entry as CurrentEntry

        new = CurrentEntry.objects.create(**entry_fields(checkpoint, timezone.now(), 9))
        assert new.pk > max(e.pk for e in entries)
        assert CurrentAlert.objects.get(pk=alert.pk).entry_id == entries[0].pk

        # Back to before the key included the time: the plain table, foreign keys pointing at it.
        migrate([("checkpoints", "0001_checkpoints_entries_alerts_key_persons"), BEFORE[1]])

        assert not partitioned("checkpoints_entry") and not partitioned("reporting_dailyreport")
        assert [row[:2] for row in rows("checkpoints_entry", "at")] == [*entries_before, (new.pk, new.at)]
        assert [row[:2] for row in rows("reporting_dailyreport", "date")] == reports_before
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'checkpoints_entry'::regclass"
            )
            assert cursor.fetchone()[0] == 2  # alert and verification point at the plain table again
    finally:
        migrate(latest())
    assert partitioned("checkpoints_entry") and partitioned("reporting_dailyreport")
