import io

import pytest


@pytest.fixture(autouse=True)
def _media_and_jobs(settings, tmp_path):
    """Uploaded files and job results under a temporary directory; Celery tasks run in-process
    (REDIS_URL may be set, so the broker would otherwise be used)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from lianqi.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
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
