"""Load the shipped GB/T 4754-2017 table (used by seed_demo on a freshly flushed database;
migration 0002 loads it on a normal install)."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"
LEVEL_ORDER = {"section": 0, "division": 1, "group": 2}


def rows() -> list[dict]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda r: LEVEL_ORDER[r["level"]])


def ensure_loaded() -> int:
    from .models import Industry

    if Industry.objects.exists():
        return 0
    Industry.objects.bulk_create(
        Industry(
            code=r["code"], level=r["level"], parent_id=r["parent"] or None, name_zh=r["name_zh"], name_en=r["name_en"]
        )
        for r in rows()
    )
    return Industry.objects.count()
