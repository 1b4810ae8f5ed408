"""The life of an enterprise difficulty (诉求):

    submitted ──route──▶ assigned ──accept──▶ in_progress ──reply──▶ replied ──rate_satisfied──▶ closed
        ▲                  │                                            │
        │                  └──object──▶ objected ──route──▶ assigned    ├──rate_unsatisfied──▶ reopened ──route──▶ …
        └──────────────────────────────────────────────────────────────└──close (office, after the follow-up call)

The first receiver stays responsible until the lead department accepts (首接负责).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.accounts.choices import Role
from lianqi.workdays.calendar import add_working_days
from lianqi.workflows.engine import Transition, Workflow, WorkflowError

from .choices import AppealStatus as S
from .models import Appeal
from .routing import time_limit


def is_office(user, appeal) -> bool:
    from lianqi.accounts.directory import with_role_at

    return user.is_authenticated and (user.access.is_admin or with_role_at(user, Role.OFFICE, appeal.jurisdiction))


def is_lead_department(user, appeal) -> bool:
    if not user.is_authenticated:
        return False
    return user.access.is_admin or (
        appeal.lead_department_id is not None and appeal.lead_department_id in user.access.department_ids()
    )


def is_enterprise(user, appeal) -> bool:
    return user.is_authenticated and (user.access.is_admin or appeal.enterprise_id in user.access.enterprise_ids())


def _check_route(appeal, actor, data):
    department = data.get("lead_department")
    from lianqi.departments.models import Department

    if not Department.objects.visible_to(actor).filter(pk=getattr(department, "pk", department)).exists():
        raise WorkflowError({"lead_department": _("Choose a department you can see.")}, code="invalid_department")


def _apply_route(appeal, actor, data):
    from lianqi.departments.models import Department

    lead = data["lead_department"]
    appeal.lead_department = lead if isinstance(lead, Department) else Department.objects.get(pk=lead)
    appeal.is_complex = bool(data.get("is_complex", appeal.is_complex))
    route(appeal, supporting=data.get("supporting_departments") or [])
    return ["lead_department", "is_complex", "time_limit_days", "due_date", "routed_at", "objection_deadline"]


def route(appeal, *, supporting, today=None):
    """Set time limit, due date and objection window for the chosen lead department."""
    today = today or timezone.localdate()
    appeal.time_limit_days = time_limit(appeal.appeal_type, appeal.urgency, is_complex=appeal.is_complex)
    appeal.due_date = add_working_days(today, appeal.time_limit_days)
    appeal.routed_at = timezone.now()
    appeal.objection_deadline = appeal.routed_at + datetime.timedelta(hours=settings.APPEAL_OBJECTION_HOURS)
    appeal._supporting = list(supporting)
    if appeal.pk:
        appeal.supporting_departments.set(appeal._supporting)


def _check_objection(appeal, actor, data):
    if appeal.objection_deadline and timezone.now() > appeal.objection_deadline:
        raise WorkflowError(
            _("Objections had to be made by %(deadline)s; ask the command office instead.")
            % {"deadline": timezone.localtime(appeal.objection_deadline).strftime("%Y-%m-%d %H:%M")},
            code="objection_too_late",
        )


def _apply_accept(appeal, actor, data):
    appeal.accepted_at = timezone.now()
    return ["accepted_at"]


def _apply_reply(appeal, actor, data):
    appeal.reply, appeal.replied_at, appeal.replied_by = data["note"], timezone.now(), actor
    return ["reply", "replied_at", "replied_by"]


def _check_rating(satisfied: bool):
    def check(appeal, actor, data):
        try:
            rating = int(data.get("rating"))
        except (TypeError, ValueError):
            raise WorkflowError({"rating": _("Rate from 1 to 5.")}, code="invalid_rating") from None
        if not 1 <= rating <= 5:
            raise WorkflowError({"rating": _("Rate from 1 to 5.")}, code="invalid_rating")
        good = rating >= 3 and data.get("solved", True) is not False
        if good != satisfied:
            raise WorkflowError(_("That rating does not fit this action."), code="rating_mismatch")

    return check


def _apply_rating(appeal, actor, data):
    appeal.rating = int(data["rating"])
    appeal.solved = data.get("solved", True) is not False
    appeal.rating_comment = data.get("note", "")
    appeal.rated_at = timezone.now()
    changed = ["rating", "solved", "rating_comment", "rated_at"]
    if appeal.rating >= 3 and appeal.solved:
        appeal.closed_at = timezone.now()
        changed.append("closed_at")
    return changed


def _apply_close(appeal, actor, data):
    appeal.closed_at = timezone.now()
    return ["closed_at"]


def _apply_follow_up(appeal, actor, data):
    appeal.followed_up_at = timezone.now()
    return ["followed_up_at"]


APPEAL_WORKFLOW = Workflow(
    model=Appeal,
    event_prefix="appeal",
    transitions=[
        Transition(
            "route",
            gettext_lazy("Assign to a department"),
            (S.SUBMITTED, S.OBJECTED, S.REOPENED),
            S.ASSIGNED,
            allowed=is_office,
            requires=("lead_department",),
            check=_check_route,
            apply=_apply_route,
        ),
        Transition(
            "object",
            gettext_lazy("Object to the assignment"),
            (S.ASSIGNED,),
            S.OBJECTED,
            allowed=is_lead_department,
            requires=("note",),
            check=_check_objection,
            style="warning",
        ),
        Transition(
            "accept",
            gettext_lazy("Accept and handle"),
            (S.ASSIGNED,),
            S.IN_PROGRESS,
            allowed=is_lead_department,
            apply=_apply_accept,
            style="success",
        ),
        Transition(
            "reply",
            gettext_lazy("Reply to the enterprise"),
            (S.IN_PROGRESS,),
            S.REPLIED,
            allowed=is_lead_department,
            requires=("note",),
            apply=_apply_reply,
        ),
        Transition(
            "rate_satisfied",
            gettext_lazy("Satisfied: close"),
            (S.REPLIED,),
            S.CLOSED,
            allowed=is_enterprise,
            requires=("rating",),
            check=_check_rating(True),
            apply=_apply_rating,
            style="success",
        ),
        Transition(
            "rate_unsatisfied",
            gettext_lazy("Not satisfied: reopen"),
            (S.REPLIED,),
            S.REOPENED,
            allowed=is_enterprise,
            requires=("rating",),
            check=_check_rating(False),
            apply=_apply_rating,
            style="danger",
        ),
        Transition(
            "follow_up",
            gettext_lazy("Record the follow-up call (回访)"),
            (S.REPLIED, S.CLOSED),
            None,
            allowed=is_office,
            requires=("note",),
            apply=_apply_follow_up,
            style="secondary",
            notify=False,
        ),
        Transition(
            "close",
            gettext_lazy("Close (销号)"),
            (S.REPLIED,),
            S.CLOSED,
            allowed=is_office,
            requires=("note",),
            apply=_apply_close,
            style="secondary",
        ),
    ],
)

OTHER_ACTIONS = {
    "submitted": gettext_lazy("Raised"),
    "routed_automatically": gettext_lazy("Assigned by routing rule"),
    "extension_requested": gettext_lazy("More time requested"),
    "extension_approved": gettext_lazy("Extension approved"),
    "extension_refused": gettext_lazy("Extension refused"),
}
