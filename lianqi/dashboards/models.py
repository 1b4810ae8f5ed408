"""Bulletins (周报, 月报, 半年通报) of a jurisdiction, archived with the figures they were built
from, and who receives them by e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.accounts.choices import Role
from lianqi.core.models import TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, under_paths

from .choices import STATUS_COLOURS, BulletinKind, BulletinStatus


class BulletinQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        if not access.is_official:
            return None
        return under_paths("jurisdiction", access.jurisdiction_paths())

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class Bulletin(TimeStampedModel):
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BulletinKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.QUEUED)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    # The figures the files were built from, as they were at generation time (the archive).
    data = models.JSONField(_("figures"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/%Y/", blank=True)
    xlsx = models.FileField(_("spreadsheet"), upload_to="bulletins/%Y/", blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    seconds = models.FloatField(_("generation time (s)"), null=True, blank=True)
    scheduled = models.BooleanField(_("scheduled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField(_("error"), blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-period_end", "-created_at"]
        indexes = [
            # The archive of a jurisdiction: WHERE jurisdiction_id = … ORDER BY period_end DESC.
            models.Index(fields=["jurisdiction", "kind", "-period_end"], name="bulletin_archive"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="bulletin_period_ordered",
                violation_error_message=_("The period ends before it starts."),
            ),
            # The schedule makes one bulletin per jurisdiction, kind and period.
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "period_start"],
                condition=Q(scheduled=True),
                name="bulletin_scheduled_once",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dashboards:bulletin", args=[self.pk])

    @property
    def status_colour(self):
        return STATUS_COLOURS.get(self.status, "secondary")


class SubscriptionQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return Q(user=access.user)

    def change_q(self, access):
        return Q(user=access.user)


class BulletinSubscription(TimeStampedModel):
    """A user receives a jurisdiction's bulletins of the kinds ticked, by e-mail, as they are made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="bulletin_subscriptions",
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.CASCADE, related_name="+"
    )
    weekly = models.BooleanField(_("weekly"), default=True)
    monthly = models.BooleanField(_("monthly"), default=True)
    half_year = models.BooleanField(_("half-year"), default=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin subscription")
        verbose_name_plural = _("bulletin subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "jurisdiction"],
                name="bulletinsubscription_unique",
                violation_error_message=_("You already subscribe to this jurisdiction's bulletins."),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.jurisdiction}"

    def get_absolute_url(self):
        return reverse("dashboards:bulletins")
