"""The Celery task that runs every job, by id."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .choices import JobStatus
from .models import Job
from .periodic import PeriodicTask
from .registry import JobError, handler_for

logger = logging.getLogger(__name__)


def _claim(job_id: int) -> Job | None:
    """Mark the job running, unless it is gone or already taken (so a task delivered twice runs once)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    return job


def execute(job_id: int) -> None:
    job = _claim(job_id)
    if job is None:
        logger.info("Job %s is not queued; nothing to do.", job_id)
        return
    try:
        result = handler_for(job.kind)(job) or {}
    except JobError as error:
        job.status, job.error, job.result = JobStatus.FAILED, str(error), {}
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job.status, job.error, job.result = JobStatus.FAILED, f"{error.__class__.__name__}: {error}", {}
    else:
        job.status, job.result = JobStatus.DONE, result
        if job.progress_total:
            job.progress_done = job.progress_total
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "result",
            "error",
            "finished_at",
            "progress_done",
            "progress_total",
            "result_file",
        ]
    )


@shared_task(name="jobs.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    execute(job_id)


@shared_task(name="jobs.heartbeat", base=PeriodicTask, ignore_result=True)
def heartbeat() -> None:
    """Does nothing: its PeriodicRun rows show that beat and workers are alive, one run per slot."""
