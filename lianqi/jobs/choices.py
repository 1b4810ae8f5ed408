from django.db import models
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job status", "Queued")
    RUNNING = "running", pgettext_lazy("job status", "Running")
    DONE = "done", pgettext_lazy("job status", "Done")
    FAILED = "failed", pgettext_lazy("job status", "Failed")


STATUS_COLOURS = {
    JobStatus.QUEUED: "secondary",
    JobStatus.RUNNING: "blue",
    JobStatus.DONE: "green",
    JobStatus.FAILED: "red",
}
