from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HazardCategory(models.TextChoices):
    EPIDEMIC_PREVENTION = "epidemic_prevention", _("Epidemic prevention")
    GAS_LPG = "gas_lpg", _("Gas / LPG")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals")
    CONFINED_SPACE = "confined_space", _("Confined space")
    DUST_EXPLOSION = "dust_explosion", _("Dust explosion")
    FIRE = "fire", _("Fire safety")
    ROAD_TRAFFIC = "road_traffic", _("Road traffic")
    SELF_BUILT_HOUSES = "self_built_houses", _("Self-built houses")
    DROWNING = "drowning", _("Drowning prevention")
    FLOOD_PREVENTION = "flood_prevention", _("Flood prevention")
    ELECTRICAL = "electrical", _("Electrical safety")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment")
    GENERAL = "general_safety_management", _("General safety management")


class HazardGrade(models.TextChoices):
    GENERAL = "general", _("General (一般隐患)")
    MAJOR = "major", _("Major (重大隐患)")


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SELF_CHECK = "self_check", _("Enterprise self-check")
    PUBLIC = "public", _("Report from the public")
    OTHER = "other", _("Other")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("hazard status", "Reported")
    RECTIFYING = "rectifying", pgettext_lazy("hazard status", "Rectifying")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", pgettext_lazy("hazard status", "Awaiting acceptance")
    RETURNED = "returned", pgettext_lazy("hazard status", "Returned for rework")
    CLOSED = "closed", pgettext_lazy("hazard status", "Closed (销号)")
    DISMISSED = "dismissed", pgettext_lazy("hazard status", "Dismissed")


OPEN_STATUSES = (
    HazardStatus.REPORTED,
    HazardStatus.RECTIFYING,
    HazardStatus.AWAITING_ACCEPTANCE,
    HazardStatus.RETURNED,
)
# Statuses in which the enterprise owes work against the deadline.
RECTIFICATION_STATUSES = (HazardStatus.RECTIFYING, HazardStatus.RETURNED)

STATUS_COLOURS = {
    HazardStatus.REPORTED: "azure",
    HazardStatus.RECTIFYING: "orange",
    HazardStatus.AWAITING_ACCEPTANCE: "purple",
    HazardStatus.RETURNED: "red",
    HazardStatus.CLOSED: "green",
    HazardStatus.DISMISSED: "secondary",
}


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("extension", "Pending")
    APPROVED = "approved", pgettext_lazy("extension", "Approved")
    REFUSED = "refused", pgettext_lazy("extension", "Refused")


class ListingLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
