from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskSource(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Leader's visit")
    BULLETIN = "bulletin", _("Bulletin")
    INSPECTION = "inspection", _("Inspection")
    OTHER = "other", _("Other")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("task status", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("task status", "Completion reported")
    ACCEPTED = "accepted", pgettext_lazy("task status", "Accepted")
    RETURNED = "returned", pgettext_lazy("task status", "Returned")


OPEN_ASSIGNMENT_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS, AssignmentStatus.RETURNED)
STATUS_COLOURS = {
    AssignmentStatus.ASSIGNED: "azure",
    AssignmentStatus.IN_PROGRESS: "orange",
    AssignmentStatus.SUBMITTED: "purple",
    AssignmentStatus.ACCEPTED: "green",
    AssignmentStatus.RETURNED: "red",
}
