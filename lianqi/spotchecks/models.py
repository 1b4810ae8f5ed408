"""双随机一公开: random selection of enterprises and of the inspectors who check them, with the
results published.

Item list (``CheckItem``), inspector library (``InspectorProfile`` with certificates, scope and
conflicts of interest), plan (``SpotCheckPlan``), the recorded draw (``Draw``: seed, inputs,
result) and one ``SpotCheckTarget`` per enterprise drawn, whose result is published.
See docs/development/spot-check-draw.md for the draw.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.accounts.choices import Role
from lianqi.core.models import BilingualNameMixin, TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths

from .choices import CheckResult, PlanMode, PlanStatus

PUBLICATION_YEARS = 5
PUBLISH_WITHIN_WORKING_DAYS = 20


def _in_or_above(access, field: str):
    below = under_paths(field, access.jurisdiction_paths())
    codes = access.ancestor_codes()
    above = Q(**{f"{field}__code__in": codes}) if codes else None
    return any_of([below, above])


class CheckItemQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return _in_or_above(access, "jurisdiction")

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class CheckItem(BilingualNameMixin, TimeStampedModel):
    """An item of the spot-check list (抽查事项清单): what is checked, by whom, on what basis."""

    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "departments.Department", verbose_name=_("inspecting department"), on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    method = models.CharField(_("method"), max_length=200, blank=True)
    template = models.ForeignKey(
        "checklists.ChecklistTemplate",
        verbose_name=_("checklist"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CheckItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("spot-check item")
        verbose_name_plural = _("spot-check items")
        ordering = ["jurisdiction__path", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code"],
                name="spotcheck_item_unique_code",
                violation_error_message=_("This jurisdiction already has an item with that code."),
            )
        ]


class InspectorQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return any_of([under_paths("department__jurisdiction", access.jurisdiction_paths()), Q(user=access.user)])

    def change_q(self, access):
        return under_paths("department__jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class InspectorProfile(TimeStampedModel):
    """An official in the inspector library (执法人员名录库)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.CASCADE, related_name="spotcheck_profile"
    )
    department = models.ForeignKey(
        "departments.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    certificate_number = models.CharField(_("enforcement certificate number"), max_length=40, unique=True)
    certificate_expiry = models.DateField(_("certificate valid until"))
    items = models.ManyToManyField(
        CheckItem,
        verbose_name=_("scope"),
        blank=True,
        related_name="inspectors",
        help_text=_("The items this inspector may check; none: every item of the department."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = InspectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("spot-check inspector")
        verbose_name_plural = _("spot-check inspectors")
        ordering = ["department", "certificate_number"]

    def __str__(self):
        return f"{self.user} ({self.certificate_number})"


class Conflict(models.Model):
    """A conflict of interest: the inspector is never drawn for this enterprise (回避)."""

    inspector = models.ForeignKey(
        InspectorProfile, verbose_name=_("inspector"), on_delete=models.CASCADE, related_name="conflicts"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "enterprise"],
                name="spotcheck_conflict_unique",
                violation_error_message=_("This conflict is already recorded."),
            )
        ]

    def __str__(self):
        return f"{self.inspector} ≠ {self.enterprise}"


class PlanQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths())

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class SpotCheckPlan(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    batch = models.CharField(_("batch"), max_length=40, help_text=_("E.g. 2024-1."))
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("inspecting department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Inspectors are drawn from it; empty: from every department of the jurisdiction."),
    )
    items = models.ManyToManyField(CheckItem, verbose_name=_("items checked"), related_name="plans")
    mode = models.CharField(_("mode"), max_length=20, choices=PlanMode.choices, default=PlanMode.UNDIRECTED)
    industry_prefix = models.CharField(
        _("industry code starts with"), max_length=5, blank=True, help_text=_("Directed plans: e.g. 26 for chemicals.")
    )
    key_only = models.BooleanField(_("key enterprises only"), default=False)
    hazardous_chemicals_only = models.BooleanField(_("hazardous-chemical enterprises only"), default=False)
    risk_tiers = models.JSONField(_("risk tiers"), default=list, blank=True)
    ratio = models.DecimalField(
        _("ratio (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Share of the candidates to draw."),
    )
    count = models.PositiveIntegerField(_("number of enterprises"), null=True, blank=True)
    inspectors_per_target = models.PositiveSmallIntegerField(_("inspectors per enterprise"), default=2)
    stratify = models.BooleanField(
        _("stratify by jurisdiction"), default=False, help_text=_("Draw from each street or district in proportion.")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("spot-check plan")
        verbose_name_plural = _("spot-check plans")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspectors_per_target__gte=2),
                name="spotcheck_plan_two_inspectors",
                violation_error_message=_("At least two inspectors check each enterprise."),
            ),
            models.CheckConstraint(
                condition=(Q(ratio__isnull=False) & Q(count__isnull=True))
                | (Q(ratio__isnull=True) & Q(count__isnull=False)),
                name="spotcheck_plan_ratio_or_count",
                violation_error_message=_("Give either a ratio or a number of enterprises."),
            ),
            models.CheckConstraint(
                condition=Q(ratio__isnull=True) | (Q(ratio__gt=0) & Q(ratio__lte=100)),
                name="spotcheck_plan_ratio_range",
                violation_error_message=_("The ratio is a percentage above 0 and at most 100."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="spotcheck_plan_period_ordered",
                violation_error_message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.batch})"

    def get_absolute_url(self):
        return reverse("spotchecks:detail", args=[self.pk])


class Draw(models.Model):
    """The record of a draw: with ``seed`` and ``inputs`` anyone re-runs it and gets ``result``."""

    plan = models.OneToOneField(SpotCheckPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="draw")
    algorithm = models.CharField(_("algorithm"), max_length=40)
    seed = models.CharField(_("seed"), max_length=64)
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")

    def __str__(self):
        return f"{self.plan} · {self.seed[:12]}"


class TargetQuerySet(models.QuerySet):
    def public(self, now=None):
        """Results on the public page: published, and withdrawn five years after publication."""
        now = now or timezone.now()
        return self.filter(
            published_at__isnull=False, published_at__gt=now - timedelta(days=365 * PUBLICATION_YEARS + 1)
        )


class SpotCheckTarget(models.Model):
    plan = models.ForeignKey(SpotCheckPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("order drawn"))
    stratum = models.CharField(_("stratum"), max_length=40, blank=True)
    inspectors = models.ManyToManyField(InspectorProfile, verbose_name=_("inspectors"), related_name="targets")
    inspection = models.OneToOneField(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spot_check_target",
    )
    checked_on = models.DateField(_("date checked"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=CheckResult.choices, blank=True)
    handling = models.TextField(_("handling"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("spot-check target")
        verbose_name_plural = _("spot-check targets")
        ordering = ["plan", "position"]
        indexes = [
            # The public page: published results, newest first.
            models.Index(fields=["-published_at"], name="spotcheck_target_published"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "enterprise"],
                name="spotcheck_target_once_per_plan",
                violation_error_message=_("This enterprise is already drawn in this plan."),
            )
        ]

    def __str__(self):
        return f"{self.plan} · {self.enterprise}"

    @property
    def publish_by(self):
        from lianqi.workdays.calendar import add_working_days

        return add_working_days(self.checked_on, PUBLISH_WITHIN_WORKING_DAYS) if self.checked_on else None
