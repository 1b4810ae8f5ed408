"""Small abstract bases shared by every domain model."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin:
    """For models with ``name_zh`` and ``name_en``: ``name`` follows the active language."""

    @property
    def name(self) -> str:
        language = (get_language() or "zh-hans").lower()
        if language.startswith("en"):
            return self.name_en or self.name_zh
        return self.name_zh or self.name_en

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """Gap-free counters for human-readable numbers (hazards, appeals…), one row per scope such
    as ``hazard:419902:2026``."""

    scope = models.CharField(max_length=100, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.scope}: {self.last}"
