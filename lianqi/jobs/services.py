"""Start jobs: one row for the person to watch, the task queued once the row is committed."""

from django.db import transaction

from .models import Job


def start_job(kind: str, *, actor, params: dict | None = None, label: str = "", total: int = 0) -> Job:
    job = Job.objects.create(kind=kind, created_by=actor, params=params or {}, label=label, progress_total=total)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    run_job.delay(job_id)


def run_inline(kind: str, *, actor, params: dict | None = None, label: str = "") -> Job:
    """Run a small job now, in this request, through the same runner (for files under the limits)."""
    from .tasks import execute

    job = Job.objects.create(kind=kind, created_by=actor, params=params or {}, label=label)
    execute(job.pk)
    job.refresh_from_db()
    return job
