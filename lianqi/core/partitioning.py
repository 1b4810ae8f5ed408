"""Monthly range partitioning of the tables that grow by the day (PostgreSQL only).

``checkpoints_entry`` is partitioned on ``at`` (months start at local midnight in TIME_ZONE) and
``reporting_dailyreport`` on ``date``. Each month is a partition named ``<table>_pYYYYMM``; a
``<table>_default`` partition catches a row no month partition takes, so an INSERT never fails
for want of a partition. ``ensure_ahead`` (daily job ``ensure-partitions``) keeps the current
month and ``PARTITION_MONTHS_AHEAD`` months after it, and moves rows out of the default
partition into months of their own. The checkpoint purge drops whole months older than the
retention period (``drop_partition``). On SQLite nothing here runs: the tables stay plain.

The migrations that convert the tables use the operation ``PartitionByMonth`` (around
``partition_table`` / ``unpartition_table``): like ``django.contrib.postgres.operations`` it is
a schema operation, kept here so both apps and the tests use the same SQL. See docs/decisions.md ("Monthly partitions")."""

from __future__ import annotations

import datetime
import logging
import re
import zoneinfo

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.operations.base import Operation
from django.utils import timezone

logger = logging.getLogger(__name__)

# model label -> partition column. The column must be in every unique constraint of the model.
PARTITIONED = {"checkpoints.Entry": "at", "reporting.DailyReport": "date"}

_MONTH = re.compile(r"_p(\d{4})(\d{2})$")


def supported(conn=None) -> bool:
    return (conn or connection).vendor == "postgresql"


# --- months -----------------------------------------------------------------------------------
def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Month starts from ``first``'s month to ``last``'s month, both included."""
    month, last = month_start(first), month_start(last)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def partition_name(table: str, month: datetime.date) -> str:
    return f"{table}_p{month:%Y%m}"


def default_name(table: str) -> str:
    return f"{table}_default"


def month_of(name: str) -> datetime.date | None:
    match = _MONTH.search(name)
    return datetime.date(int(match[1]), int(match[2]), 1) if match else None


def month_begins(month: datetime.date) -> datetime.datetime:
    """The aware moment a month begins: local midnight of its first day."""
    return datetime.datetime.combine(month, datetime.time(0), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _is_timestamp(cursor, table: str, column: str) -> bool:
    cursor.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s AND column_name = %s",
        [table, column],
    )
    return cursor.fetchone()[0].startswith("timestamp")


def _literal(month: datetime.date, timestamp: bool) -> str:
    # Built from a date only (never from input), so it is safe to inline in DDL.
    return f"'{month_begins(month).isoformat()}'" if timestamp else f"'{month.isoformat()}'"


def _month_expr(column: str, timestamp: bool) -> str:
    if timestamp:
        return f"date_trunc('month', \"{column}\" AT TIME ZONE '{settings.TIME_ZONE}')::date"
    return f"date_trunc('month', \"{column}\")::date"


# --- what exists ------------------------------------------------------------------------------
def is_partitioned(cursor, table: str) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def partitions(cursor, table: str) -> list[str]:
    """Names of the table's partitions (months and default), as pg_inherits lists them."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def month_partitions(cursor, table: str) -> dict[datetime.date, str]:
    return {month_of(name): name for name in partitions(cursor, table) if month_of(name)}


# --- creating months --------------------------------------------------------------------------
def create_month(cursor, table: str, column: str, month: datetime.date, *, timestamp: bool) -> str:
    """Create the partition of ``month``. Rows of that month waiting in the default partition
    are moved into it first (PostgreSQL refuses a new partition whose rows sit in the default)."""
    name = partition_name(table, month)
    low, high = _literal(month, timestamp), _literal(add_months(month, 1), timestamp)
    default = default_name(table)
    waiting = False
    if default in partitions(cursor, table):
        cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{default}" WHERE "{column}" >= {low} AND "{column}" < {high})')  # noqa: S608 - names and dates only
        waiting = cursor.fetchone()[0]
    if not waiting:
        cursor.execute(f'CREATE TABLE "{name}" PARTITION OF "{table}" FOR VALUES FROM ({low}) TO ({high})')
        return name
    cursor.execute(f'CREATE TABLE "{name}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
    cursor.execute(
        f'WITH moved AS (DELETE FROM "{default}" WHERE "{column}" >= {low} AND "{column}" < {high} RETURNING *) '  # noqa: S608
        f'INSERT INTO "{name}" SELECT * FROM moved'
    )
    cursor.execute(f'ALTER TABLE "{table}" ATTACH PARTITION "{name}" FOR VALUES FROM ({low}) TO ({high})')
    logger.info("moved %s rows of %s out of %s", cursor.rowcount, month, default)
    return name


def ensure_months(cursor, table: str, column: str, months) -> list[str]:
    """Create the missing partitions of ``months`` (month starts); returns the names created."""
    timestamp = _is_timestamp(cursor, table, column)
    existing = month_partitions(cursor, table)
    return [
        create_month(cursor, table, column, m, timestamp=timestamp) for m in sorted(set(months)) if m not in existing
    ]


def ensure_ahead(months_ahead: int | None = None, today: datetime.date | None = None) -> list[str]:
    """The daily job: for every partitioned table, this month and the next ``months_ahead``
    (``PARTITION_MONTHS_AHEAD``) exist, and every month that has rows in the default partition
    gets a partition of its own (the rows move there). Safe to run twice."""
    if not supported():
        return []
    months_ahead = settings.PARTITION_MONTHS_AHEAD if months_ahead is None else months_ahead
    this_month = month_start(today or timezone.localdate())
    created = []
    for label, column in PARTITIONED.items():
        try:
            table = apps.get_model(label)._meta.db_table
        except LookupError:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            if not is_partitioned(cursor, table):
                continue
            months = [add_months(this_month, n) for n in range(months_ahead + 1)]
            default = default_name(table)
            if default in partitions(cursor, table):
                timestamp = _is_timestamp(cursor, table, column)
                cursor.execute(f'SELECT DISTINCT {_month_expr(column, timestamp)} FROM "{default}"')  # noqa: S608
                months += [row[0] for row in cursor.fetchall()]
            created += ensure_months(cursor, table, column, months)
    if created:
        logger.info("created partitions %s", ", ".join(created))
    return created


# --- dropping months --------------------------------------------------------------------------
def months_before(cursor, table: str, cutoff: datetime.datetime | datetime.date) -> list[str]:
    """Month partitions whose every possible row is older than ``cutoff`` (the month ends at or
    before it), oldest first."""
    names = []
    for month, name in sorted(month_partitions(cursor, table).items()):
        end = add_months(month, 1)
        boundary = month_begins(end) if isinstance(cutoff, datetime.datetime) else end
        if boundary <= cutoff:
            names.append(name)
    return names


def drop_partition(cursor, table: str, name: str) -> None:
    """Detach and drop one partition (a catalogue change, however many rows it holds).

    Foreign-key checks still deferred in the transaction (rows written earlier in it) would make
    PostgreSQL refuse the DROP, so they run now; Django declares every foreign key DEFERRABLE
    INITIALLY DEFERRED, which ``SET CONSTRAINTS ALL DEFERRED`` restores."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{name}"')
    cursor.execute(f'DROP TABLE "{name}"')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- converting a table (migrations) ----------------------------------------------------------
def _definitions(cursor, table: str) -> dict:
    """Everything to re-create on the new table: the primary key's name and columns, unique
    constraints, foreign keys and plain indexes (as SQL), and the id sequence."""
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f') ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
        "WHERE x.indrelid = to_regclass(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
        "ORDER BY c.relname",
        [table],
    )
    indexes = [(name, sql.replace(" ON ONLY ", " ON ")) for name, sql in cursor.fetchall()]
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    return {
        "pk": next(name for name, kind, _ in constraints if kind == "p"),
        "unique": [(name, sql) for name, kind, sql in constraints if kind == "u"],
        "foreign": [(name, sql) for name, kind, sql in constraints if kind == "f"],
        "indexes": indexes,
        "sequence": cursor.fetchone()[0],
    }


def _move_aside(cursor, table: str, aside: str, found: dict) -> None:
    """Rename the table and free the names of its indexes, constraints and sequence."""
    cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{aside}"')
    for name, _ in found["indexes"]:
        cursor.execute(f'DROP INDEX "{name}"')
    for name, _ in [*found["unique"], *found["foreign"]]:
        cursor.execute(f'ALTER TABLE "{aside}" DROP CONSTRAINT "{name}"')
    cursor.execute(f'ALTER TABLE "{aside}" DROP CONSTRAINT "{found["pk"]}"')
    if found["sequence"]:
        cursor.execute(f'ALTER SEQUENCE {found["sequence"]} RENAME TO "{aside}_id_seq"')


def _rebuild(cursor, table: str, aside: str, found: dict, pk_columns: str) -> None:
    cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{found["pk"]}" PRIMARY KEY ({pk_columns})')
    for name, sql in found["unique"]:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {sql}')
    for _, sql in found["indexes"]:
        cursor.execute(sql)


def _fill(cursor, table: str, aside: str, found: dict) -> None:
    cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{aside}"')  # noqa: S608 - table names only
    last_id = f'SELECT max(id) FROM "{table}"'  # noqa: S608 - a table name
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), coalesce(({last_id}), 1), ({last_id}) IS NOT NULL)", [table]
    )
    for name, sql in found["foreign"]:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {sql}')
    cursor.execute(f'DROP TABLE "{aside}"')


def partition_table(schema_editor, table: str, column: str, *, months_ahead: int = 3) -> None:
    """Turn a plain table into one range-partitioned by month on ``column``, in place: same
    name, columns, defaults, checks, indexes, constraints and sequence; the primary key becomes
    (id, column). Months covering the existing rows, the next ``months_ahead`` and a default
    partition are created, then the rows are copied. PostgreSQL only (the caller checks)."""
    with schema_editor.connection.cursor() as cursor:
        if is_partitioned(cursor, table):
            return
        found = _definitions(cursor, table)
        for name, sql in found["unique"]:
            if (
                f'"{column}"' not in sql
                and column not in sql.replace("(", " ").replace(")", " ").replace(",", " ").split()
            ):
                raise RuntimeError(f"{table}: unique constraint {name} must include the partition column {column}")
        aside = f"{table}_unpartitioned"
        _move_aside(cursor, table, aside, found)
        cursor.execute(
            f'CREATE TABLE "{table}" (LIKE "{aside}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY '
            f'INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ("{column}")'
        )
        _rebuild(cursor, table, aside, found, f'id, "{column}"')
        timestamp = _is_timestamp(cursor, table, column)
        month = _month_expr(column, timestamp)
        cursor.execute(f'SELECT min({month}), max({month}) FROM "{aside}"')  # noqa: S608 - names only
        first, last = cursor.fetchone()
        this_month = month_start(timezone.localdate())
        last = max(filter(None, [last, add_months(this_month, months_ahead)]))
        ensure_months(cursor, table, column, months_between(min(filter(None, [first, this_month])), last))
        cursor.execute(f'CREATE TABLE "{default_name(table)}" PARTITION OF "{table}" DEFAULT')
        _fill(cursor, table, aside, found)


def unpartition_table(schema_editor, table: str) -> None:
    """The reverse of ``partition_table``: one plain table with the primary key (id)."""
    with schema_editor.connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            return
        found = _definitions(cursor, table)
        aside = f"{table}_partitioned"
        _move_aside(cursor, table, aside, found)
        cursor.execute(
            f'CREATE TABLE "{table}" (LIKE "{aside}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY '
            f"INCLUDING STORAGE INCLUDING COMMENTS)"
        )
        _rebuild(cursor, table, aside, found, "id")
        _fill(cursor, table, aside, found)


class PartitionByMonth(Operation):
    """Migration operation: partition ``table`` by month of ``column`` on PostgreSQL
    (``partition_table``), back to a plain table when unapplied; nothing on other databases.
    The models do not change (Django does not know about partitions)."""

    reversible = True
    reduces_to_sql = False  # it reads the table before it writes: no SQL to show in sqlmigrate
    elidable = False

    def __init__(self, table: str, column: str):
        self.table, self.column = table, column

    def deconstruct(self):
        return self.__class__.__qualname__, [self.table, self.column], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            partition_table(schema_editor, self.table, self.column)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            unpartition_table(schema_editor, self.table)

    def describe(self):
        return f"Partition {self.table} by month of {self.column} (PostgreSQL)"
