from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from lianqi.core.scoping import get_visible_or_404

from .models import Job
from .registry import result_template_for


@login_required
def job_detail(request, pk):
    """A job's progress and result; the progress card re-polls itself with htmx until done."""
    job = get_visible_or_404(Job, request.user, pk=pk)
    template = "jobs/_job_progress.html" if getattr(request, "htmx", False) else "jobs/job_detail.html"
    return render(request, template, {"job": job, "result_template": result_template_for(job.kind)})


@login_required
def job_download(request, pk):
    job = get_visible_or_404(Job, request.user, pk=pk)
    if not job.result_file:
        raise Http404
    name = job.params.get("download_name") or job.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("created_by")[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})
