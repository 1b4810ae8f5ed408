"""The life of one assignee's share of a deployed task:

assigned ──start──▶ in_progress ──submit──▶ submitted ──accept──▶ accepted
                      │  ▲                     │
      report_progress ┘  └──── returned ◀──return┘   (returned ──submit──▶ submitted)
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.accounts.choices import Role
from lianqi.workflows.engine import Transition, Workflow, WorkflowError

from .choices import AssignmentStatus as S
from .models import TaskAssignment


def is_assignee(user, assignment) -> bool:
    if not user.is_authenticated:
        return False
    return user.access.is_admin or assignment.members().filter(pk=user.pk).exists()


def is_deployer(user, assignment) -> bool:
    from lianqi.accounts.directory import with_role_at

    if not user.is_authenticated:
        return False
    task = assignment.task
    return user.access.is_admin or task.deployed_by_id == user.pk or with_role_at(user, Role.OFFICE, task.jurisdiction)


def _apply_progress(assignment, actor, data):
    if "progress" not in data:
        return []
    try:
        value = int(data["progress"])
    except (TypeError, ValueError):
        raise WorkflowError({"progress": _("Enter a whole number from 0 to 100.")}, code="invalid") from None
    if not 0 <= value <= 100:
        raise WorkflowError({"progress": _("Enter a whole number from 0 to 100.")}, code="invalid")
    assignment.progress = value
    return ["progress"]


def _apply_submit(assignment, actor, data):
    assignment.progress, assignment.completed_at, assignment.submitted_by = 100, timezone.now(), actor
    return ["progress", "completed_at", "submitted_by"]


def _apply_accept(assignment, actor, data):
    assignment.accepted_by = actor
    return ["accepted_by"]


TASK_WORKFLOW = Workflow(
    model=TaskAssignment,
    event_prefix="task",
    transitions=[
        Transition("start", gettext_lazy("Start"), (S.ASSIGNED,), S.IN_PROGRESS, allowed=is_assignee),
        Transition(
            "report_progress",
            gettext_lazy("Report progress"),
            (S.IN_PROGRESS, S.RETURNED),
            None,
            allowed=is_assignee,
            requires=("note",),
            apply=_apply_progress,
            style="secondary",
        ),
        Transition(
            "submit",
            gettext_lazy("Report completion"),
            (S.IN_PROGRESS, S.RETURNED),
            S.SUBMITTED,
            allowed=is_assignee,
            requires=("note", "attachments"),
            apply=_apply_submit,
            style="success",
        ),
        Transition(
            "accept",
            gettext_lazy("Accept"),
            (S.SUBMITTED,),
            S.ACCEPTED,
            allowed=is_deployer,
            apply=_apply_accept,
            style="success",
        ),
        Transition(
            "return",
            gettext_lazy("Return"),
            (S.SUBMITTED,),
            S.RETURNED,
            allowed=is_deployer,
            requires=("note",),
            style="danger",
        ),
    ],
)

OTHER_ACTIONS = {"deployed": gettext_lazy("Deployed")}
