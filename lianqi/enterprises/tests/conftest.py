import io

import pytest


@pytest.fixture(autouse=True)
def _media_and_jobs(settings, tmp_path, monkeypatch):
    """Uploaded files and job results under a temporary directory; queued jobs run in-process
    through the real task (``apply``), whatever broker REDIS_URL names, without touching the
    shared Celery app's configuration."""
    from lianqi.jobs.tasks import run_job

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(run_job, "delay", lambda job_id: run_job.apply(args=[job_id]))
    yield


@pytest.fixture(autouse=True)
def _english_messages():
    """Service-level messages in English, so assertions on their wording do not depend on the
    zh-Hans catalogue (pages still follow the user's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)
