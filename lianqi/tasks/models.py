from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.core.models import TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths

from .choices import OPEN_ASSIGNMENT_STATUSES, AssignmentStatus, TaskSource


def _task_scope(access, prefix=""):
    paths = access.jurisdiction_paths()
    return any_of(
        [
            Q(**{f"{prefix}deployed_by": access.user}),
            under_paths(f"{prefix}jurisdiction", paths),
            under_paths(f"{prefix}assignments__jurisdiction", paths),
            Q(**{f"{prefix}assignments__department__in": access.department_ids()}) if access.department_ids() else None,
        ]
    )


class TaskQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return _task_scope(access)

    def change_q(self, access):
        return Q(deployed_by=access.user)

    def visible_to(self, user):
        return super().visible_to(user).distinct()


class Task(TimeStampedModel):
    """A task deployed (部署) from a meeting, visit or bulletin to departments and jurisdictions."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=TaskSource.choices, default=TaskSource.MEETING)
    source_note = models.CharField(
        _("source details"), max_length=300, blank=True, help_text=_("e.g. the meeting or visit")
    )
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deployed by"), on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("deploying jurisdiction"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    deadline = models.DateField(_("deadline"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent task"), null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks"
    )

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:detail", args=[self.pk])

    def progress(self) -> dict:
        statuses = [a.status for a in self.assignments.all()]
        done = sum(s == AssignmentStatus.ACCEPTED for s in statuses)
        return {"done": done, "total": len(statuses), "percent": round(100 * done / len(statuses)) if statuses else 0}


class TaskAssignmentQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return Q(task__in=Task.objects.visible_to(access.user))

    def open(self):
        return self.filter(status__in=OPEN_ASSIGNMENT_STATUSES)


class TaskAssignment(TimeStampedModel):
    """One assignee's share of a task: a department or a jurisdiction (its office)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_assignments",
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_assignments",
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0, validators=[MaxValueValidator(100)])
    completed_at = models.DateTimeField(_("completion reported at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = TaskAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        ordering = ["task", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(jurisdiction__isnull=False),
                name="task_assignment_has_assignee",
                violation_error_message=_("Assign the task to a department or a jurisdiction."),
            ),
            models.UniqueConstraint(
                fields=["task", "department"],
                condition=Q(department__isnull=False),
                name="task_assignment_unique_department",
            ),
            models.UniqueConstraint(
                fields=["task", "jurisdiction"],
                condition=Q(jurisdiction__isnull=False),
                name="task_assignment_unique_jurisdiction",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="task_assignment_deadline")]

    def __str__(self):
        return f"{self.task} · {self.assignee}"

    @property
    def assignee(self):
        return self.department or self.jurisdiction

    def get_absolute_url(self):
        return reverse("tasks:detail", args=[self.task_id]) + f"#assignment-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_ASSIGNMENT_STATUSES and self.deadline < timezone.localdate()

    def members(self):
        """The people who act for this assignee."""
        from lianqi.accounts import directory
        from lianqi.accounts.choices import Role
        from lianqi.accounts.models import Membership, User

        if self.department_id:
            return directory.department_staff(self.department)
        ids = (
            Membership.objects.current()
            .filter(role__in=[Role.OFFICE, Role.LEADER], jurisdiction=self.jurisdiction)
            .values("user")
        )
        return User.objects.filter(pk__in=ids, is_active=True)

    # --- notifications -----------------------------------------------------------------
    @property
    def notification_jurisdiction(self):
        return self.jurisdiction or (self.department.jurisdiction if self.department_id else self.task.jurisdiction)

    def notification_recipients(self, kind):
        from lianqi.accounts import directory

        action = kind.split(".", 1)[1]
        if action in {"submit", "escalation1", "report_progress"}:
            return [self.task.deployed_by]
        if action == "escalation2":
            return list(directory.offices_over(self.task.jurisdiction))
        return list(self.members())

    def notification_title(self, kind, event):
        from .notices import title_for

        return title_for(self, kind, event)
