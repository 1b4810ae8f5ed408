"""Daily resumption reports, which enterprises are tracked and from when, the per-day rollups the
rates are read from, and protective-material producers' figures."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.accounts.choices import Role
from lianqi.core.models import TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths
from lianqi.enterprises.choices import Scale

from .choices import Material, QualityResult, ReportChannel


def _visible_enterprises(access):
    from lianqi.enterprises.models import Enterprise

    return Enterprise.objects.visible_to(access.user)


def due_at(date: datetime.date) -> datetime.datetime:
    """The moment the report for ``date`` is due: DAILY_REPORT_DUE_HOUR o'clock that day (local)."""
    hour = settings.DAILY_REPORT_DUE_HOUR
    moment = datetime.datetime.combine(date, datetime.time(0)) + datetime.timedelta(hours=hour)
    return timezone.make_aware(moment)


# --- Which enterprises are tracked ------------------------------------------------------------


class TrackingRuleQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return any_of(
            [
                under_paths("jurisdiction", access.jurisdiction_paths()),
                # Officials above the rule's node see it too (it applies to their city).
                Q(jurisdiction__code__in=access.ancestor_codes()) if access.is_official else None,
            ]
        )

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class TrackingRule(TimeStampedModel):
    """Which enterprises of a jurisdiction report daily, and from which day: e.g. every
    above-designated-size (规上) enterprise of the city, except those suspended for maintenance."""

    name = models.CharField(_("name"), max_length=100)
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("tracked from"))
    end = models.DateField(_("tracked until"), null=True, blank=True)
    scale = models.CharField(
        _("scale"), max_length=10, choices=Scale.choices, blank=True, help_text=_("Empty: every scale.")
    )
    key_only = models.BooleanField(_("key enterprises only"), default=False)
    material_producers = models.BooleanField(
        _("also every protective-material producer"),
        default=True,
        help_text=_("Producers report daily whatever their scale."),
    )
    include_suspended = models.BooleanField(
        _("include suspended enterprises"),
        default=False,
        help_text=_("Suspended (e.g. under maintenance) enterprises are left out unless this is ticked."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = TrackingRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tracking rule")
        verbose_name_plural = _("tracking rules")
        ordering = ["jurisdiction__path", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="trackingrule_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reporting:tracking")

    def matching_enterprises(self):
        """Enterprises the rule selects today (closed ones never; suspended ones on request)."""
        from lianqi.enterprises.choices import EnterpriseStatus
        from lianqi.enterprises.models import Enterprise

        statuses = [EnterpriseStatus.OPERATING]
        if self.include_suspended:
            statuses.append(EnterpriseStatus.SUSPENDED)
        selected = Q()
        if self.scale:
            selected &= Q(scale=self.scale)
        if self.key_only:
            selected &= Q(is_key=True)
        if self.material_producers:
            selected |= Q(material_producer=True)
        return Enterprise.objects.filter(
            selected, jurisdiction__path__startswith=self.jurisdiction.path, status__in=statuses
        )


class TrackedPeriodQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return Q(enterprise__in=_visible_enterprises(access))

    def change_q(self, access):
        return under_paths("enterprise__jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))

    def on(self, date):
        return self.filter(Q(end__isnull=True) | Q(end__gte=date), start__lte=date)


class TrackedPeriod(models.Model):
    """An enterprise is expected to report every day from ``start`` to ``end`` (inclusive).
    Kept by :func:`lianqi.reporting.services.sync_tracking` from the rules: an enterprise that
    closes or is suspended stops being expected the day after, one that qualifies starts."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="tracked_periods"
    )
    rule = models.ForeignKey(
        TrackingRule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.SET_NULL, related_name="periods"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    objects = TrackedPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracked period")
        verbose_name_plural = _("tracked periods")
        ordering = ["enterprise", "start"]
        indexes = [
            # Expected reporters on a day: WHERE start <= d AND (end IS NULL OR end >= d).
            models.Index(fields=["start", "end"], name="trackedperiod_span"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "start"],
                name="trackedperiod_unique_start",
                violation_error_message=_("This enterprise already has a tracked period starting that day."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="trackedperiod_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise_id}: {self.start}–{self.end or ''}"


# --- Daily reports ------------------------------------------------------------------------------


class DailyReportQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return Q(enterprise__in=_visible_enterprises(access))

    def change_q(self, access):
        # The enterprise itself, and the command office on its behalf.
        return any_of(
            [
                Q(enterprise__in=access.enterprise_ids()) if access.enterprise_ids() else None,
                under_paths("enterprise__jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE])),
            ]
        )

    def with_difficulties(self):
        return self.exclude(difficulties="")


class DailyReport(TimeStampedModel):
    """One enterprise's figures for one day: data as of the previous 24:00, due by noon.

    The table grows by one row per tracked enterprise per day (millions a year): a BigAutoField,
    no history table (a correction replaces the row and counts ``revisions``), and indexes that
    serve the rate queries. Issue 11 partitions it by month on PostgreSQL."""

    id = models.BigAutoField(primary_key=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="daily_reports"
    )
    date = models.DateField(_("report date"), help_text=_("Figures as of the previous day's 24:00."))
    channel = models.CharField(_("entered"), max_length=12, choices=ReportChannel.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    late = models.BooleanField(_("late"), default=False)
    revisions = models.PositiveSmallIntegerField(_("corrections"), default=0)

    resumed = models.BooleanField(_("resumed work"))
    staff_total = models.PositiveIntegerField(_("total staff"))
    staff_on_post = models.PositiveIntegerField(_("staff on post"))
    staff_returned = models.PositiveIntegerField(_("returned from elsewhere"), default=0)
    staff_isolated = models.PositiveIntegerField(_("in isolation"), default=0)
    abnormal_health = models.PositiveIntegerField(_("abnormal health"), default=0)
    capacity_pct = models.DecimalField(
        _("capacity utilisation (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(999)],
    )
    capacity_note = models.CharField(
        _("explanation"), max_length=200, blank=True, help_text=_("Required when capacity is above 100 %.")
    )
    output_value = models.DecimalField(
        _("output value (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    power_load = models.DecimalField(_("power load (kW)"), max_digits=12, decimal_places=1, null=True, blank=True)
    masks_days = models.DecimalField(_("masks (days of supply)"), max_digits=6, decimal_places=1, null=True, blank=True)
    disinfectant_days = models.DecimalField(
        _("disinfectant (days of supply)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    thermometers_days = models.DecimalField(
        _("thermometers (days of supply)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    difficulties = models.TextField(_("difficulties"), blank=True)
    appeal_reference = models.CharField(_("appeal"), max_length=50, blank=True)

    objects = DailyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-date", "enterprise"]
        indexes = [
            # Rates and rollups of a day (or range): WHERE date BETWEEN … joined on enterprise.
            models.Index(fields=["date", "enterprise"], name="dailyreport_date_enterprise"),
        ]
        constraints = [
            # Also serves "this enterprise's reports, latest first" and yesterday's pre-fill.
            models.UniqueConstraint(
                fields=["enterprise", "date"],
                name="dailyreport_one_per_day",
                violation_error_message=_("This enterprise has already reported for that day."),
            ),
            models.CheckConstraint(
                condition=Q(staff_on_post__lte=F("staff_total")),
                name="dailyreport_on_post_within_total",
                violation_error_message=_("Staff on post cannot exceed total staff."),
            ),
            models.CheckConstraint(
                condition=Q(capacity_pct__lte=100) | ~Q(capacity_note=""),
                name="dailyreport_capacity_explained",
                violation_error_message=_("Explain a capacity utilisation above 100 %."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.date}"

    def get_absolute_url(self):
        return reverse("reporting:detail", args=[self.pk])

    @property
    def due_at(self):
        return due_at(self.date)

    @property
    def on_behalf(self) -> bool:
        return self.channel == ReportChannel.ON_BEHALF

    # Notifications about a report (reminders go through the shared mechanism).
    @property
    def notification_jurisdiction(self):
        return self.enterprise.jurisdiction


class ReminderTarget(models.Model):
    """The object a missing-report reminder is about: one enterprise on one day (so the shared
    notification mechanism can key, address and link it)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        verbose_name = _("missing daily report")
        verbose_name_plural = _("missing daily reports")
        constraints = [models.UniqueConstraint(fields=["enterprise", "date"], name="remindertarget_unique")]

    def __str__(self):
        return f"{self.enterprise} {self.date}"

    def get_absolute_url(self):
        return reverse("reporting:today")

    @property
    def notification_jurisdiction(self):
        return self.enterprise.jurisdiction

    def notification_recipients(self, kind):
        from lianqi.accounts.models import User

        users = User.objects.filter(
            is_active=True, memberships__role=Role.ENTERPRISE, memberships__enterprise=self.enterprise
        )
        if kind.endswith(".overdue"):
            # Also the grid members of its nodes and the officials assigned to it (包联/驻企).
            codes = self.enterprise.jurisdiction.path.rstrip("/").split("/")
            users = (
                users
                | User.objects.filter(
                    is_active=True, memberships__role=Role.INSPECTOR, memberships__jurisdiction__code__in=codes
                )
                | User.objects.filter(is_active=True, assignments__enterprise=self.enterprise)
            )
        return users.distinct()

    def notification_title(self, kind, event):
        from django.utils.translation import gettext

        if kind.endswith(".overdue"):
            return gettext("%(enterprise)s has not sent its daily report for %(date)s") % {
                "enterprise": self.enterprise.name,
                "date": self.date.isoformat(),
            }
        return gettext("Daily report for %(date)s is due by %(hour)d:00") % {
            "date": self.date.isoformat(),
            "hour": settings.DAILY_REPORT_DUE_HOUR,
        }


# --- Rollups ------------------------------------------------------------------------------------


class DailyRollup(models.Model):
    """Counts and sums of one day for the tracked enterprises of one jurisdiction node (the
    enterprise's own node) and one industry division. Every rate of a subtree, industry and day
    is a ratio of sums of these columns — the same sums the raw query takes over the base tables
    (see lianqi/reporting/rates.py). Maintained cell by cell on submit, a day at a time by the
    periodic refresh, and rebuilt by ``manage.py rebuild_rollups``."""

    id = models.BigAutoField(primary_key=True)
    date = models.DateField()
    jurisdiction = models.ForeignKey("jurisdictions.Jurisdiction", on_delete=models.CASCADE, related_name="+")
    jurisdiction_path = models.CharField(max_length=255)
    division = models.CharField(max_length=4)
    tracked = models.IntegerField(default=0)
    reported = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    resumed = models.IntegerField(default=0)
    staff_total = models.BigIntegerField(default=0)
    staff_on_post = models.BigIntegerField(default=0)
    capacity_count = models.IntegerField(default=0)
    capacity_sum = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    output_sum = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    capacity_output_sum = models.DecimalField(max_digits=22, decimal_places=3, default=0)
    staffed_90 = models.IntegerField(default=0)
    capacity_80 = models.IntegerField(default=0)
    key_tracked = models.IntegerField(default=0)
    key_resumed = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        indexes = [
            # Dashboard: WHERE date BETWEEN … AND jurisdiction_path LIKE '<node path>%'.
            models.Index(fields=["date", "jurisdiction_path"], name="dailyrollup_date_path"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["date", "jurisdiction", "division"], name="dailyrollup_cell"),
        ]

    def __str__(self):
        return f"{self.date} {self.jurisdiction_path} {self.division}"


class RollupDay(models.Model):
    """A day whose rollup cells have all been built (missing days are built on first read)."""

    date = models.DateField(primary_key=True)
    built_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rolled-up day")
        verbose_name_plural = _("rolled-up days")

    def __str__(self):
        return self.date.isoformat()


# --- Protective materials -----------------------------------------------------------------------


class MaterialReportQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return Q(enterprise__in=_visible_enterprises(access))

    def change_q(self, access):
        return any_of(
            [
                Q(enterprise__in=access.enterprise_ids()) if access.enterprise_ids() else None,
                under_paths("enterprise__jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE])),
            ]
        )


class MaterialReport(TimeStampedModel):
    """A protective-material producer's figures for one material on one day."""

    id = models.BigAutoField(primary_key=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("producer"), on_delete=models.CASCADE, related_name="material_reports"
    )
    date = models.DateField(_("date"))
    material = models.CharField(_("material"), max_length=20, choices=Material.choices)
    capacity = models.PositiveIntegerField(_("daily capacity"))
    output = models.PositiveIntegerField(_("output"))
    stock = models.PositiveIntegerField(_("stock"))
    shortfall = models.TextField(_("raw-material shortfall"), blank=True)
    quality = models.CharField(_("quality test"), max_length=10, choices=QualityResult.choices, blank=True)
    quality_note = models.CharField(_("quality test note"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    appeal_reference = models.CharField(_("appeal"), max_length=50, blank=True)

    objects = MaterialReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("material report")
        verbose_name_plural = _("material reports")
        ordering = ["-date", "enterprise", "material"]
        indexes = [
            # Supply view of a day: WHERE date = … joined on enterprise.
            models.Index(fields=["date", "material"], name="materialreport_date_material"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "date", "material"],
                name="materialreport_one_per_day",
                violation_error_message=_("This producer has already reported this material for that day."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.date} {self.get_material_display()}"

    def get_absolute_url(self):
        return reverse("reporting:materials")
