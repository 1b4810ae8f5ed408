from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scale(models.TextChoices):
    ABOVE = "above", _("Above designated size (规上)")
    BELOW = "below", _("Below designated size (规下)")


class RiskTier(models.TextChoices):
    # The four-colour safety risk grading used by emergency management offices.
    MAJOR = "major", _("Major risk (red)")
    HIGH = "high", _("High risk (orange)")
    GENERAL = "general", _("General risk (yellow)")
    LOW = "low", _("Low risk (blue)")


RISK_COLOURS = {RiskTier.MAJOR: "red", RiskTier.HIGH: "orange", RiskTier.GENERAL: "yellow", RiskTier.LOW: "blue"}


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", pgettext_lazy("enterprise status", "Operating")
    SUSPENDED = "suspended", pgettext_lazy("enterprise status", "Suspended")
    CLOSED = "closed", pgettext_lazy("enterprise status", "Closed")


STATUS_COLOURS = {
    EnterpriseStatus.OPERATING: "green",
    EnterpriseStatus.SUSPENDED: "orange",
    EnterpriseStatus.CLOSED: "secondary",
}


class AssignmentRole(models.TextChoices):
    LEADER_CONTACT = "leader_contact", _("Leader contact (包联领导)")
    RESIDENT_INSTRUCTOR = "resident_instructor", _("Resident instructor (驻企指导员)")
    SERVICE_OFFICER = "service_officer", _("Service officer (服务专员)")
