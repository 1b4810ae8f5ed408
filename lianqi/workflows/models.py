"""The timeline every workflow writes: who did what, when, from which state to which, with
what note and what evidence. One table for hazards, appeals and tasks alike."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimelineEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=50)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "pk"]
        indexes = [
            # An object's timeline, in order.
            models.Index(fields=["content_type", "object_id", "at"], name="timeline_subject_at"),
        ]

    def __str__(self):
        return f"{self.action} {self.from_state}→{self.to_state}"


def attachment_path(instance, filename):
    return f"evidence/{instance.entry.at:%Y/%m}/{instance.entry.content_type_id}-{instance.entry.object_id}/{filename}"


class Attachment(models.Model):
    """A photo or document supplied with a timeline entry (evidence, acceptance photos…)."""

    entry = models.ForeignKey(TimelineEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    is_image = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("api:attachment", args=[self.pk])
