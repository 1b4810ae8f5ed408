from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    IN_APP = "inapp", _("In-app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery", "Pending")
    SENT = "sent", pgettext_lazy("delivery", "Sent")
    FAILED = "failed", pgettext_lazy("delivery", "Failed")
    UNREACHABLE = "unreachable", pgettext_lazy("delivery", "Unreachable")


class DeadlineStage(models.TextChoices):
    REMINDER = "reminder", _("Deadline approaching")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION_1 = "escalation1", _("Escalated to the supervising department")
    ESCALATION_2 = "escalation2", _("Escalated to the command office")
