"""The official holiday arrangements (国务院办公厅关于部分节假日安排的通知): 2026 in full;
2027 with its statutory holidays only, until the make-up working days are published."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "cn_holidays.csv"


def load(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            CalendarDay.objects.update_or_create(
                date=row["date"], defaults={"is_working": row["is_working"] == "1", "name": row["name"]}
            )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_calendar_days")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
