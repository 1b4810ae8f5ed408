from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TemplateKind(models.TextChoices):
    EPIDEMIC_PREVENTION = "epidemic_prevention", _("Epidemic prevention")
    PRODUCTION_SAFETY = "production_safety", _("Production safety")
    GENERAL = "general", _("General")


class ItemType(models.TextChoices):
    YES_NO_NA = "yes_no_na", _("Yes / no / not applicable")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Single choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    PHOTO = "photo", _("Photo")


class YesNoNa(models.TextChoices):
    YES = "yes", pgettext_lazy("answer", "Yes")
    NO = "no", pgettext_lazy("answer", "No")
    NA = "na", pgettext_lazy("answer", "Not applicable")


class HazardCategory(models.TextChoices):
    """Hazard categories a failing item may propose. The codes are those of the shipped
    template files and of the hazards workflow."""

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


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("checklist version", "Draft")
    PUBLISHED = "published", pgettext_lazy("checklist version", "Published")


VERSION_COLOURS = {VersionStatus.DRAFT: "orange", VersionStatus.PUBLISHED: "green"}
