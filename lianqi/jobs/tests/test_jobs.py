"""Jobs: run by id, once, visible to their creator only, progress pollable."""

import pytest
from django.urls import reverse

from lianqi.jobs.models import Job
from lianqi.jobs.registry import JobError, register_job
from lianqi.jobs.services import run_inline, start_job
from lianqi.jobs.tasks import execute

pytestmark = pytest.mark.django_db

calls = []


def _count(job):
    calls.append(job.pk)
    job.set_progress(3, 3)
    return {"answer": 42}


def _fail(job):
    raise JobError("The file is gone.")


def _crash(job):
    raise ZeroDivisionError("boom")


register_job("test.count", _count)
register_job("test.fail", _fail)
register_job("test.crash", _crash)


@pytest.fixture(autouse=True)
def _eager(monkeypatch):
    """Queued jobs run in-process through the real task, without a broker."""
    from lianqi.jobs.tasks import run_job

    monkeypatch.setattr(run_job, "delay", lambda job_id: run_job.apply(args=[job_id]))
    calls.clear()


def test_job_is_queued_on_commit_and_runs_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_job("test.count", actor=cast.office)
    assert Job.objects.get(pk=job.pk).status == "queued" and len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"answer": 42} and job.finished_at and job.percent == 100
    execute(job.pk)  # delivered twice: nothing happens the second time
    assert calls == [job.pk]


def test_failures_are_recorded_not_raised(cast):
    assert run_inline("test.fail", actor=cast.office).error == "The file is gone."
    crashed = run_inline("test.crash", actor=cast.office)
    assert crashed.status == "failed" and "ZeroDivisionError" in crashed.error
    assert run_inline("test.unknown", actor=cast.office).status == "failed"


def test_missing_job_is_a_no_op():
    execute(999999)


def test_users_see_only_their_own_jobs(client, cast):
    job = run_inline("test.count", actor=cast.office)
    assert list(Job.objects.visible_to(cast.office)) == [job]
    assert not Job.objects.visible_to(cast.official_a).exists()
    assert list(Job.objects.visible_to(cast.admin)) == [job]
    client.force_login(cast.official_a)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    client.force_login(cast.office)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200 and b'data-status="done"' in page.content
    assert client.get(reverse("jobs:list")).status_code == 200


def test_running_job_partial_polls_itself(client, cast):
    job = Job.objects.create(kind="test.count", created_by=cast.office, status="running", progress_total=10)
    job.set_progress(4)
    client.force_login(cast.office)
    partial = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and 'hx-trigger="every 1s"' in html and "width: 40%" in html
