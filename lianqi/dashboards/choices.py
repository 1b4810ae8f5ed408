from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BulletinKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly bulletin")
    MONTHLY = "monthly", _("Monthly bulletin")
    HALF_YEAR = "half_year", _("Half-year bulletin")


class BulletinStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("bulletin status", "Queued")
    READY = "ready", pgettext_lazy("bulletin status", "Ready")
    FAILED = "failed", pgettext_lazy("bulletin status", "Failed")


STATUS_COLOURS = {BulletinStatus.QUEUED: "secondary", BulletinStatus.READY: "green", BulletinStatus.FAILED: "red"}
