from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.scoping import ScopedQuerySet

from .choices import STATUS_COLOURS, JobStatus


class JobQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        # A job's inputs and results are its creator's (admins see every job through _restrict).
        return Q(created_by=access.user)

    def change_q(self, access):
        return Q(created_by=access.user)


class Job(models.Model):
    """A piece of work a person waits for (a large import or export), run by a Celery task."""

    kind = models.CharField(_("kind"), max_length=50)
    label = models.CharField(_("description"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/results/%Y/%m/", blank=True)
    result = models.JSONField(_("result summary"), default=dict, blank=True)
    error = models.TextField(_("error message"), blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            # "My recent jobs": WHERE created_by_id = … ORDER BY created_at DESC.
            models.Index(fields=["created_by", "-created_at"], name="job_creator_recent"),
        ]

    def __str__(self):
        return self.label or self.kind

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "secondary")

    # --- Progress ---------------------------------------------------------------------------
    # Progress goes to the cache (Redis in production, shared by every server) and, when the
    # runner is not inside a transaction, to the row as well; an import's write phase runs in one
    # transaction whose row updates nobody else could see until it commits.

    @property
    def _progress_key(self) -> str:
        return f"job-progress:{self.pk}"

    def set_progress(self, done: int, total: int | None = None) -> None:
        self.progress_done = done
        if total is not None:
            self.progress_total = total
        cache.set(self._progress_key, (self.progress_done, self.progress_total), 24 * 3600)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.pk).update(progress_done=self.progress_done, progress_total=self.progress_total)

    def live_progress(self) -> tuple[int, int]:
        if self.finished:
            return self.progress_done, self.progress_total
        cached = cache.get(self._progress_key)
        return tuple(cached) if cached else (self.progress_done, self.progress_total)

    @property
    def percent(self) -> int:
        done, total = self.live_progress()
        if self.status == JobStatus.DONE:
            return 100
        return int(done * 100 / total) if total else 0


class PeriodicRun(models.Model):
    """One run of a periodic job in its schedule slot (``lianqi.jobs.periodic``): at most one per
    job and slot, however many beats sent it."""

    task = models.CharField(_("task"), max_length=100)
    slot = models.DateTimeField(_("schedule slot"))
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), null=True)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        ordering = ["-slot", "task"]
        constraints = [
            # Also serves "the latest runs of a job" (WHERE task = … ORDER BY slot DESC).
            models.UniqueConstraint(
                fields=["task", "slot"],
                name="periodic_run_once_per_slot",
                violation_error_message=_("This periodic job has already run in this slot."),
            )
        ]

    def __str__(self):
        return f"{self.task} @ {timezone.localtime(self.slot):%Y-%m-%d %H:%M:%S}"
