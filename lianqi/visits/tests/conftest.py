from pathlib import Path

import pytest

REPORTS = Path(__file__).resolve().parent / "fixtures" / "visit_reports"


def report(prefix: str) -> str:
    return next(REPORTS.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")


@pytest.fixture
def report_004():
    return report("004")


@pytest.fixture
def report_003():
    return report("003")
