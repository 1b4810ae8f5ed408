"""The visit side of a leader's visit.

A leader visit *is* an ``inspections.Inspection`` of kind ``leader_visit`` (date, jurisdiction,
leaders, departments, requirements); what a published report adds lives here, one-to-one:
the source text, topics, places, every organisation visited (an inspection names one
enterprise; a visit often several) and the difficulties raised. Visibility follows the
inspection's, so the inspections list and the ledger always agree on who sees what.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from lianqi.accounts.choices import Role
from lianqi.core.models import TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths
from lianqi.enterprises.choices import AssignmentRole

from .choices import CoveragePeriod, CoverageScope


class VisitReportQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        from lianqi.inspections.models import Inspection

        return Q(inspection__in=Inspection.objects.visible_to(access.user).values("pk"))

    def change_q(self, access):
        from lianqi.inspections.models import Inspection

        return Q(inspection__in=Inspection.objects.editable_by(access.user).values("pk"))


class VisitReport(TimeStampedModel):
    inspection = models.OneToOneField(
        "inspections.Inspection",
        verbose_name=gettext_lazy("visit"),
        on_delete=models.CASCADE,
        related_name="visit_report",
    )
    source_name = models.CharField(gettext_lazy("source file"), max_length=200, blank=True)
    source_text = models.TextField(gettext_lazy("report text"), blank=True)
    language = models.CharField(gettext_lazy("language"), max_length=5, blank=True)
    date_as_written = models.CharField(gettext_lazy("date as written"), max_length=100, blank=True)
    topics = models.JSONField(gettext_lazy("topics"), default=list, blank=True)
    places = models.JSONField(gettext_lazy("places"), default=list, blank=True)
    accompanying = models.JSONField(gettext_lazy("accompanying officials"), default=list, blank=True)
    difficulties = models.TextField(
        gettext_lazy("difficulties raised"),
        blank=True,
        help_text=gettext_lazy("One per line. Kept as text until the appeals module takes them over."),
    )
    extracted = models.JSONField(
        gettext_lazy("extracted draft"), default=dict, blank=True, help_text=gettext_lazy("What the extractor read.")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = VisitReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "source_text", "extracted"])

    class Meta:
        verbose_name = gettext_lazy("visit report")
        verbose_name_plural = gettext_lazy("visit reports")

    def __str__(self):
        return str(self.inspection)

    def get_absolute_url(self):
        return reverse("visits:detail", args=[self.inspection_id])

    def difficulties_list(self) -> list[str]:
        return [line.strip() for line in self.difficulties.splitlines() if line.strip()]


class VisitOrganisation(models.Model):
    """An organisation a visit went to, as the report names it, and the registry entry it is."""

    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=gettext_lazy("visit"),
        on_delete=models.CASCADE,
        related_name="visit_organisations",
    )
    position = models.PositiveIntegerField(gettext_lazy("position"), default=0)
    name = models.CharField(gettext_lazy("name as written"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=gettext_lazy("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_organisations",
    )
    match_score = models.FloatField(gettext_lazy("match score"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("organisation visited")
        verbose_name_plural = gettext_lazy("organisations visited")
        ordering = ["inspection", "position", "pk"]
        indexes = [
            # Coverage: which enterprises a period's visits reached.
            models.Index(fields=["enterprise", "inspection"], name="visitorg_enterprise"),
        ]

    def __str__(self):
        return self.name


class CoverageRuleQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        # Rules of the user's jurisdictions and of the levels above (a district sees the city's rule).
        below = under_paths("jurisdiction", access.jurisdiction_paths())
        codes = access.ancestor_codes()
        above = Q(jurisdiction__code__in=codes) if codes else None
        return any_of([below, above])

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class CoverageRule(TimeStampedModel):
    """“Every key enterprise visited by its contact leader at least once a quarter” —
    configured by the command office for its jurisdiction."""

    name = models.CharField(gettext_lazy("name"), max_length=200)
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=gettext_lazy("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope = models.CharField(
        gettext_lazy("enterprises"), max_length=30, choices=CoverageScope.choices, default=CoverageScope.KEY
    )
    period = models.CharField(
        gettext_lazy("period"), max_length=10, choices=CoveragePeriod.choices, default=CoveragePeriod.QUARTER
    )
    assignment_role = models.CharField(
        gettext_lazy("visited by"),
        max_length=30,
        choices=AssignmentRole.choices,
        default=AssignmentRole.LEADER_CONTACT,
        help_text=gettext_lazy("The official assigned to the enterprise in this role must lead the visit."),
    )
    min_visits = models.PositiveSmallIntegerField(gettext_lazy("visits per period"), default=1)
    is_active = models.BooleanField(gettext_lazy("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CoverageRuleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = gettext_lazy("visit coverage rule")
        verbose_name_plural = gettext_lazy("visit coverage rules")
        ordering = ["jurisdiction__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_visits__gte=1),
                name="coverage_rule_min_visits_positive",
                violation_error_message=gettext_lazy("A rule asks for at least one visit per period."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("visits:coverage") + f"?rule={self.pk}"
