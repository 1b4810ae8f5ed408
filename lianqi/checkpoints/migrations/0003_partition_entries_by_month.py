"""Checkpoint entries become a table partitioned by month of ``at`` on PostgreSQL (rows copied,
names kept; see lianqi/core/partitioning.py). Nothing changes on SQLite."""

from django.db import migrations

TABLE, COLUMN = "checkpoints_entry", "at"


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from lianqi.core.partitioning import partition_table

    partition_table(schema_editor, TABLE, COLUMN)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from lianqi.core.partitioning import unpartition_table

    unpartition_table(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0002_entry_key_includes_time_and_unconstrained_links")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
