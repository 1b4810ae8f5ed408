"""Daily reports become a table partitioned by month of the report ``date`` on PostgreSQL (rows
copied, names kept; see lianqi/core/partitioning.py). Nothing changes on SQLite."""

from django.db import migrations

from lianqi.core.partitioning import PartitionByMonth


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_daily_reports_tracking_rollups_materials")]

    operations = [PartitionByMonth("reporting_dailyreport", "date")]
