"""The background job that builds a bulletin requested on a page (progress page of lianqi.jobs)."""

from django.urls import reverse

BULLETIN = "dashboards.bulletin"


def run_bulletin(job) -> dict:
    from .bulletins import generate

    job.set_progress(0, 1)
    bulletin = generate(job.params["bulletin"])
    return {
        "bulletin": bulletin.pk,
        "title": bulletin.title,
        "seconds": bulletin.seconds,
        "url": reverse("dashboards:bulletin", args=[bulletin.pk]),
    }
