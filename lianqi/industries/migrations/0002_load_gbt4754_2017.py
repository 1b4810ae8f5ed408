"""Load the national industry classification GB/T 4754-2017 (sections, divisions, groups)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754_2017.csv"


def load(apps, schema_editor):
    Industry = apps.get_model("industries", "Industry")
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Parents first: sections, then divisions, then groups.
    order = {"section": 0, "division": 1, "group": 2}
    for row in sorted(rows, key=lambda r: order[r["level"]]):
        Industry.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": row["level"],
                "parent_id": row["parent"] or None,
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("industries", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
