from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.choices import Role
from lianqi.notifications.events import emit
from lianqi.workflows.engine import WorkflowError, record

from .models import Task, TaskAssignment


def can_deploy(user, *, jurisdiction=None, parent: Task | None = None) -> bool:
    """Leaders and command offices deploy tasks in their jurisdiction (any of theirs when
    ``jurisdiction`` is not chosen yet); a department assigned to ``parent`` may decompose it."""
    access = user.access
    if access.is_admin:
        return True
    allowed_paths = access.jurisdiction_paths(roles=[Role.LEADER, Role.OFFICE])
    if jurisdiction is None:
        in_scope = bool(allowed_paths)
    else:
        in_scope = any(jurisdiction.path.startswith(p) for p in allowed_paths)
    decomposing = parent is not None and parent.assignments.filter(department__in=access.department_ids()).exists()
    return in_scope or decomposing


def deploy_task(
    *,
    actor,
    title,
    deadline: datetime.date,
    jurisdiction,
    departments=(),
    jurisdictions=(),
    description="",
    source="meeting",
    source_note="",
    parent: Task | None = None,
    today=None,
) -> Task:
    """Deploy a task (or a sub-task of ``parent``) to departments and/or jurisdictions."""
    today = today or timezone.localdate()
    if not can_deploy(actor, jurisdiction=jurisdiction, parent=parent):
        raise PermissionDenied(_("Only leaders and command offices deploy tasks in their jurisdiction."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the task a title.")
    if deadline < today:
        errors["deadline"] = _("The deadline cannot be in the past.")
    if parent is not None and deadline > parent.deadline:
        errors["deadline"] = _("A sub-task cannot be due after its parent task (%(deadline)s).") % {
            "deadline": parent.deadline
        }
    if not departments and not jurisdictions:
        errors["departments"] = _("Choose at least one department or jurisdiction.")
    if errors:
        raise WorkflowError(errors, code="invalid")
    with transaction.atomic():
        task = Task.objects.create(
            title=title.strip(),
            description=description,
            source=source,
            source_note=source_note,
            deployed_by=actor,
            jurisdiction=jurisdiction,
            deadline=deadline,
            parent=parent,
        )
        assignments = [TaskAssignment(task=task, department=d, deadline=deadline) for d in departments]
        assignments += [TaskAssignment(task=task, jurisdiction=j, deadline=deadline) for j in jurisdictions]
        for assignment in assignments:
            assignment.save()
            entry = record(assignment, actor=actor, action="deployed", to_state=assignment.status, note=description)
            emit("task.deployed", assignment, actor=actor, entry=entry)
    return task
