from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportChannel(models.TextChoices):
    ENTERPRISE = "enterprise", _("By the enterprise")
    ON_BEHALF = "on_behalf", _("Entered by the office on the enterprise's behalf")
    SYSTEM = "system", _("By an enterprise system (API)")


class ReportState(models.TextChoices):
    """Where an enterprise stands for one day (derived, not stored)."""

    ON_TIME = "on_time", pgettext_lazy("daily report", "On time")
    LATE = "late", pgettext_lazy("daily report", "Late")
    MISSING = "missing", pgettext_lazy("daily report", "Missing")
    PENDING = "pending", pgettext_lazy("daily report", "Not yet due")


STATE_COLOURS = {
    ReportState.ON_TIME: "green",
    ReportState.LATE: "orange",
    ReportState.MISSING: "red",
    ReportState.PENDING: "secondary",
}


class Material(models.TextChoices):
    MASK_MEDICAL = "mask_medical", _("Medical masks (disposable)")
    MASK_SURGICAL = "mask_surgical", _("Surgical masks")
    MASK_N95 = "mask_n95", _("N95 / KN95 respirators")
    SUIT = "suit", _("Protective suits")
    DISINFECTANT = "disinfectant", _("Disinfectant")
    THERMOMETER = "thermometer", _("Thermometers")


# Unit of each material (quantities are stored as plain numbers in these units).
MATERIAL_UNITS = {
    Material.MASK_MEDICAL: _("pieces"),
    Material.MASK_SURGICAL: _("pieces"),
    Material.MASK_N95: _("pieces"),
    Material.SUIT: _("sets"),
    Material.DISINFECTANT: _("litres"),
    Material.THERMOMETER: _("pieces"),
}

# Daily need per person on post, for the supply–demand view (one figure for all masks: workers
# need two masks a day of some kind; a thermometer per 50 staff lasts ~100 days, i.e. 1/5000 a day).
DAILY_NEED_PER_PERSON = {
    "masks": Decimal("2"),
    Material.SUIT: Decimal("0"),
    Material.DISINFECTANT: Decimal("0.05"),
    Material.THERMOMETER: Decimal("0.0002"),
}
MASK_MATERIALS = (Material.MASK_MEDICAL, Material.MASK_SURGICAL, Material.MASK_N95)


class QualityResult(models.TextChoices):
    NONE = "", _("Not tested")
    PASSED = "passed", pgettext_lazy("quality test", "Passed")
    FAILED = "failed", pgettext_lazy("quality test", "Failed")
