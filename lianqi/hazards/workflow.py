"""The hazard life cycle (隐患闭环):

    reported ──issue_order──▶ rectifying ──submit_rectification──▶ awaiting_acceptance ──accept──▶ closed
        │                        ▲                                        │
        └──dismiss──▶ dismissed  └──resume── returned ◀──────return───────┘
                                              └──submit_rectification──▶ awaiting_acceptance

Acceptance is by an official other than the person who submitted the rectification; a major
hazard needs its six-part plan before the rectification can be submitted.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.accounts.choices import Role
from lianqi.workflows.engine import Transition, Workflow, WorkflowError

from .choices import HazardStatus as S
from .models import Hazard


def can_act_as_official(user, hazard) -> bool:
    return Hazard.objects.editable_by(user).filter(pk=hazard.pk).exists()


def can_act_for_enterprise(user, hazard) -> bool:
    if not user.is_authenticated:
        return False
    access = user.access
    return access.is_admin or (hazard.enterprise_id is not None and hazard.enterprise_id in access.enterprise_ids())


def is_office(user, hazard) -> bool:
    from lianqi.accounts.directory import with_role_at

    return user.is_authenticated and (user.access.is_admin or with_role_at(user, Role.OFFICE, hazard.jurisdiction))


def _date(value, field):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise WorkflowError({field: _("Enter a valid date (YYYY-MM-DD).")}, code="invalid_date") from None


def _check_order(hazard, actor, data):
    if hazard.enterprise_id is None:
        raise WorkflowError(
            {"enterprise": _("Link the hazard to a registered enterprise before ordering rectification.")},
            code="no_enterprise",
        )
    if _date(data["deadline"], "deadline") < timezone.localdate():
        raise WorkflowError({"deadline": _("The deadline cannot be in the past.")}, code="deadline_past")


def _apply_order(hazard, actor, data):
    hazard.deadline = _date(data["deadline"], "deadline")
    hazard.original_deadline = hazard.original_deadline or hazard.deadline
    hazard.issued_by = actor
    changed = ["deadline", "original_deadline", "issued_by"]
    for field in ("responsible_person", "measures"):
        if data.get(field):
            setattr(hazard, field, data[field])
            changed.append(field)
    if "stop_production" in data:
        hazard.stop_production = bool(data["stop_production"])
        changed.append("stop_production")
    if data.get("funds") not in (None, ""):
        hazard.funds = data["funds"]
        changed.append("funds")
    return changed


def _check_submission(hazard, actor, data):
    if hazard.is_major and not hazard.has_plan:
        raise WorkflowError(
            _("A major hazard needs its six-part rectification plan before the rectification can be submitted."),
            code="plan_required",
        )


def _apply_submission(hazard, actor, data):
    hazard.rectified_by, hazard.rectified_at = actor, timezone.now()
    return ["rectified_by", "rectified_at"]


def _check_acceptance(hazard, actor, data):
    if hazard.rectified_by_id == actor.pk:
        raise WorkflowError(
            _("The rectification must be accepted by someone other than the person who submitted it."),
            code="same_person",
        )


def _apply_acceptance(hazard, actor, data):
    hazard.accepted_by, hazard.closed_at = actor, timezone.now()
    return ["accepted_by", "closed_at"]


HAZARD_WORKFLOW = Workflow(
    model=Hazard,
    event_prefix="hazard",
    transitions=[
        Transition(
            "issue_order",
            gettext_lazy("Order rectification"),
            (S.REPORTED,),
            S.RECTIFYING,
            allowed=can_act_as_official,
            requires=("deadline",),
            check=_check_order,
            apply=_apply_order,
        ),
        Transition(
            "dismiss",
            gettext_lazy("Dismiss report"),
            (S.REPORTED,),
            S.DISMISSED,
            allowed=is_office,
            requires=("note",),
            style="secondary",
        ),
        Transition(
            "submit_rectification",
            gettext_lazy("Submit rectification"),
            (S.RECTIFYING, S.RETURNED),
            S.AWAITING_ACCEPTANCE,
            allowed=can_act_for_enterprise,
            requires=("note", "photos"),
            check=_check_submission,
            apply=_apply_submission,
        ),
        Transition(
            "resume",
            gettext_lazy("Resume rectification"),
            (S.RETURNED,),
            S.RECTIFYING,
            allowed=lambda u, h: can_act_for_enterprise(u, h) or can_act_as_official(u, h),
            style="secondary",
        ),
        Transition(
            "accept",
            gettext_lazy("Accept and close"),
            (S.AWAITING_ACCEPTANCE,),
            S.CLOSED,
            allowed=can_act_as_official,
            requires=("note", "photos"),
            check=_check_acceptance,
            apply=_apply_acceptance,
            style="success",
        ),
        Transition(
            "return",
            gettext_lazy("Return for rework"),
            (S.AWAITING_ACCEPTANCE,),
            S.RETURNED,
            allowed=can_act_as_official,
            requires=("note",),
            style="danger",
        ),
    ],
)


# Timeline entries written outside the state machine.
OTHER_ACTIONS = {
    "reported": gettext_lazy("Reported"),
    "linked": gettext_lazy("Linked to an enterprise"),
    "plan_saved": gettext_lazy("Rectification plan written"),
    "plan_updated": gettext_lazy("Rectification plan updated"),
    "extension_requested": gettext_lazy("Deadline extension requested"),
    "extension_approved": gettext_lazy("Deadline extension approved"),
    "extension_refused": gettext_lazy("Deadline extension refused"),
    "listed": gettext_lazy("Put under listed supervision"),
}
