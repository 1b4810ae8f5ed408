from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppealType(models.TextChoices):
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    STAFF = "staff", _("Staff and employment")
    CAPITAL = "capital", _("Capital and finance")
    TRANSPORT = "transport", _("Transport and logistics")
    SALES = "sales", _("Market sales")
    POLICY = "policy", _("Policy questions")
    PERMITS = "permits", _("Permits and approvals")
    ENERGY = "energy", _("Energy supply")
    LAND = "land", _("Land and premises")
    PREVENTION_MATERIALS = "prevention_materials", _("Prevention materials")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Enterprise portal")
    VISIT = "visit", _("Visit or inspection")
    HOTLINE = "hotline", _("Hotline")
    DAILY_REPORT = "daily_report", _("Daily report")


class Urgency(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("urgency", "Normal")
    URGENT = "urgent", pgettext_lazy("urgency", "Urgent")


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("appeal status", "Waiting for routing")
    ASSIGNED = "assigned", pgettext_lazy("appeal status", "Assigned to a department")
    OBJECTED = "objected", pgettext_lazy("appeal status", "Assignment objected")
    IN_PROGRESS = "in_progress", pgettext_lazy("appeal status", "Being handled")
    REPLIED = "replied", pgettext_lazy("appeal status", "Replied")
    REOPENED = "reopened", pgettext_lazy("appeal status", "Reopened")
    CLOSED = "closed", pgettext_lazy("appeal status", "Closed (销号)")


OPEN_STATUSES = (
    AppealStatus.SUBMITTED,
    AppealStatus.ASSIGNED,
    AppealStatus.OBJECTED,
    AppealStatus.IN_PROGRESS,
    AppealStatus.REOPENED,
)
# The office's queue: appeals that need (re)routing.
OFFICE_QUEUE = (AppealStatus.SUBMITTED, AppealStatus.OBJECTED, AppealStatus.REOPENED)
# Statuses in which the lead department owes an answer against the due date.
HANDLING_STATUSES = (AppealStatus.ASSIGNED, AppealStatus.IN_PROGRESS)

STATUS_COLOURS = {
    AppealStatus.SUBMITTED: "azure",
    AppealStatus.ASSIGNED: "blue",
    AppealStatus.OBJECTED: "orange",
    AppealStatus.IN_PROGRESS: "indigo",
    AppealStatus.REPLIED: "purple",
    AppealStatus.REOPENED: "red",
    AppealStatus.CLOSED: "green",
}

# Default time limits in working days; the office overrides them with TimeLimitRule rows.
DEFAULT_POLICY_DAYS = 1
DEFAULT_GENERAL_DAYS = 3
DEFAULT_COMPLEX_DAYS = 15
MAX_DAYS = 30
