"""Checkpoint entries become a table partitioned by month of ``at`` on PostgreSQL (rows copied,
names kept; see lianqi/core/partitioning.py). Nothing changes on SQLite."""

from django.db import migrations

from lianqi.core.partitioning import PartitionByMonth


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0002_entry_key_includes_time_and_unconstrained_links")]

    operations = [PartitionByMonth("checkpoints_entry", "at")]
