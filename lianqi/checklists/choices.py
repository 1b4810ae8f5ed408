from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Failing items propose hazards of the hazards workflow's categories and grades.
from lianqi.hazards.choices import HazardCategory, HazardGrade

__all__ = ["HazardCategory", "HazardGrade", "ItemType", "TemplateKind", "VersionStatus", "YesNoNa"]


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


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("checklist version", "Draft")
    PUBLISHED = "published", pgettext_lazy("checklist version", "Published")


VERSION_COLOURS = {VersionStatus.DRAFT: "orange", VersionStatus.PUBLISHED: "green"}
