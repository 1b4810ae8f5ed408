"""Daily reports become a table partitioned by month of the report ``date`` on PostgreSQL (rows
copied, names kept; see lianqi/core/partitioning.py). Nothing changes on SQLite."""

from django.db import migrations

TABLE, COLUMN = "reporting_dailyreport", "date"


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
    dependencies = [("reporting", "0001_daily_reports_tracking_rollups_materials")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
