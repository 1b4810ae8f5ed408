from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianqi.core.scoping import get_visible_or_404

from .choices import STATUS_COLOURS
from .forms import DeployForm, StepForm
from .models import Task, TaskAssignment
from .services import can_deploy, deploy_task
from .workflow import OTHER_ACTIONS, TASK_WORKFLOW


@login_required
def task_list(request):
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(parent__isnull=True)
        .select_related("deployed_by", "jurisdiction")
        .prefetch_related("assignments__department", "assignments__jurisdiction")
    )
    return render(request, "tasks/list.html", {"tasks": tasks[:200], "status_colours": STATUS_COLOURS})


@login_required
def detail(request, pk):
    task = get_visible_or_404(Task.objects.select_related("deployed_by", "jurisdiction", "parent"), request.user, pk=pk)
    assignments = []
    for assignment in task.assignments.select_related("department", "jurisdiction"):
        actions = [
            (t, StepForm(action=t.name, initial={"version": assignment.version}, prefix=f"a{assignment.pk}-{t.name}"))
            for t in TASK_WORKFLOW.available(assignment, request.user)
        ]
        assignments.append((assignment, actions, TASK_WORKFLOW.timeline(assignment, OTHER_ACTIONS)))
    return render(
        request,
        "tasks/detail.html",
        {
            "task": task,
            "assignments": assignments,
            "status_colours": STATUS_COLOURS,
            "subtasks": Task.objects.visible_to(request.user).filter(parent=task),
        },
    )


@login_required
def deploy(request, parent_pk=None):
    parent = get_visible_or_404(Task, request.user, pk=parent_pk) if parent_pk else None
    if not can_deploy(request.user, parent=parent):
        raise PermissionDenied(_("Only leaders and command offices deploy tasks in their jurisdiction."))
    form = DeployForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            task = deploy_task(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Task deployed."))
            return redirect(task)
    return render(request, "tasks/deploy.html", {"form": form, "parent": parent}, status=400 if form.errors else 200)


@login_required
@require_POST
def act(request, pk, name):
    assignment = get_visible_or_404(TaskAssignment.objects.select_related("task"), request.user, pk=pk)
    form = StepForm(request.POST, request.FILES, action=name, prefix=f"a{assignment.pk}-{name}")
    if form.is_valid():
        try:
            TASK_WORKFLOW.perform(
                assignment,
                name,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.workflow_data(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": TASK_WORKFLOW[name].label})
    else:
        messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
    return redirect(assignment.get_absolute_url())
