from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InspectionKind(models.TextChoices):
    LEADER_VISIT = "leader_visit", _("Leader guidance visit")
    ROUTINE = "routine", _("Routine inspection")
    CAMPAIGN = "campaign", _("Special campaign")
    SPOT_CHECK = "spot_check", _("Random spot check (双随机)")
    SELF = "self", _("Self-inspection")


KIND_COLOURS = {
    InspectionKind.LEADER_VISIT: "red",
    InspectionKind.ROUTINE: "blue",
    InspectionKind.CAMPAIGN: "purple",
    InspectionKind.SPOT_CHECK: "orange",
    InspectionKind.SELF: "teal",
}


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspection status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("inspection status", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("inspection status", "Submitted")
    SIGNED_OFF = "signed_off", pgettext_lazy("inspection status", "Signed off")
    CANCELLED = "cancelled", pgettext_lazy("inspection status", "Cancelled")


OPEN_STATUSES = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)
DONE_STATUSES = (InspectionStatus.SUBMITTED, InspectionStatus.SIGNED_OFF)

STATUS_COLOURS = {
    InspectionStatus.PLANNED: "azure",
    InspectionStatus.IN_PROGRESS: "orange",
    InspectionStatus.SUBMITTED: "purple",
    InspectionStatus.SIGNED_OFF: "green",
    InspectionStatus.CANCELLED: "secondary",
}


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


class PlanTargets(models.TextChoices):
    KEY = "key", _("Key enterprises")
    OTHERS = "others", _("Enterprises that are not key enterprises")
    ALL = "all", _("All operating enterprises")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous-chemical enterprises")


class Assignee(models.TextChoices):
    ASSIGNED_OFFICIALS = "assigned", _("The enterprise's assigned officials (包联/驻企)")
    ENTERPRISE = "enterprise", _("The enterprise itself (self-inspection)")
    FIXED = "fixed", _("The people chosen below")
