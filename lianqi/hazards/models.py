from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.accounts.choices import Role
from lianqi.core.models import TimeStampedModel
from lianqi.core.numbering import next_number
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths

from .choices import (
    OPEN_STATUSES,
    RECTIFICATION_STATUSES,
    ExtensionStatus,
    HazardCategory,
    HazardGrade,
    HazardSource,
    HazardStatus,
    ListingLevel,
)


class HazardQuerySet(ScopedQuerySet):
    territorial_roles = (Role.LEADER, Role.OFFICE, Role.INSPECTOR)

    def scope_q(self, access):
        from lianqi.enterprises.models import Enterprise

        territorial = access.jurisdiction_paths(roles=self.territorial_roles)
        conditions = [under_paths("jurisdiction", territorial)]
        if access.department_ids():
            conditions.append(Q(supervising_department__in=access.department_ids()))
        if access.is_official or access.enterprise_ids():
            conditions.append(Q(enterprise__in=Enterprise.objects.visible_to(access.user)))
        return any_of(conditions)

    def change_q(self, access):
        """Officials who act on hazards: the office and inspectors of the jurisdiction, and the
        supervising department. Leaders read; enterprises act only through the workflow."""
        conditions = [under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE, Role.INSPECTOR]))]
        if access.department_ids():
            conditions.append(Q(supervising_department__in=access.department_ids()))
        return any_of(conditions)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def with_deadline_open(self):
        return self.filter(status__in=RECTIFICATION_STATUSES, deadline__isnull=False)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status__in=RECTIFICATION_STATUSES, deadline__lt=today)


class Hazard(TimeStampedModel):
    """A hidden hazard (隐患), from finding to closure (销号)."""

    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="hazards"
    )
    source = models.CharField(_("source"), max_length=20, choices=HazardSource.choices)
    finding = models.OneToOneField(
        "inspections.Finding",
        verbose_name=_("inspection finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazard",
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("found by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards_found",
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    grade = models.CharField(_("grade"), max_length=10, choices=HazardGrade.choices, default=HazardGrade.GENERAL)
    category = models.CharField(_("category"), max_length=30, choices=HazardCategory.choices)
    standard_clause = models.CharField(_("standard clause"), max_length=200, blank=True)
    supervising_department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("supervising department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    # Set by the rectification order.
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    measures = models.TextField(_("rectification measures"), blank=True)
    funds = models.DecimalField(_("funds (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    stop_production = models.BooleanField(_("production stopped during rectification"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("order issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazard_orders",
    )
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rectification submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazard_rectifications",
    )
    rectified_at = models.DateTimeField(_("rectification submitted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazard_acceptances",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Listed supervision (挂牌督办) of major hazards.
    listing_level = models.CharField(
        _("listed supervision level"), max_length=10, choices=ListingLevel.choices, blank=True
    )
    listing_body = models.CharField(_("listed by"), max_length=100, blank=True)
    listing_notice = models.CharField(_("notice number"), max_length=100, blank=True)
    listed_at = models.DateTimeField(_("listed at"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.REPORTED)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = HazardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_at", "-pk"]
        indexes = [
            # The ledger: a jurisdiction's hazards by status, newest first.
            models.Index(fields=["jurisdiction", "status", "found_at"], name="hazard_ledger"),
            # The deadline job and the overdue filter.
            models.Index(fields=["status", "deadline"], name="hazard_deadline"),
            models.Index(fields=["enterprise", "status"], name="hazard_enterprise_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["reported", "dismissed"]) | Q(deadline__isnull=False),
                name="hazard_rectification_has_deadline",
                violation_error_message=_("A hazard under rectification needs a deadline."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.description[:30]}"

    def get_absolute_url(self):
        return reverse("hazards:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = next_number("YH", self.jurisdiction, timezone.localdate().year)
        super().save(*args, **kwargs)

    @property
    def is_major(self) -> bool:
        return self.grade == HazardGrade.MAJOR

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in RECTIFICATION_STATUSES and self.deadline is not None and self.deadline < timezone.localdate()
        )

    @property
    def is_listed(self) -> bool:
        return bool(self.listed_at)

    @property
    def has_plan(self) -> bool:
        return hasattr(self, "plan") and self.plan.is_complete()

    # --- notifications -----------------------------------------------------------------
    @property
    def notification_jurisdiction(self):
        return self.jurisdiction

    def notification_recipients(self, kind):
        from lianqi.accounts import directory

        action = kind.split(".", 1)[1]
        people = []
        enterprise = list(directory.enterprise_users(self.enterprise))
        issuer = [self.issued_by] if self.issued_by_id else []
        department = list(directory.department_staff(self.supervising_department))
        if action == "reported":
            people = (
                department + list(directory.offices_over(self.jurisdiction))
                if self.source == HazardSource.PUBLIC
                else department
            )
        elif action in {"issue_order", "accept", "return", "extension_decided", "listed", "reminder", "overdue"}:
            people = enterprise + issuer
        elif action in {"submit_rectification", "extension_requested"}:
            people = issuer + department
        elif action == "escalation1":
            people = department + issuer
        elif action == "escalation2":
            people = list(directory.offices_over(self.jurisdiction))
        return people

    def notification_title(self, kind, event):
        from .notices import title_for

        return title_for(self, kind, event)


class RectificationPlan(models.Model):
    """The six-part plan a major hazard needs before its rectification can be submitted."""

    PARTS = ("goal", "measures", "funds_and_materials", "responsible_people", "time_limits", "safety_and_emergency")

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="plan")
    goal = models.TextField(_("goal and tasks"))
    measures = models.TextField(_("methods and measures"))
    funds_and_materials = models.TextField(_("funds and materials"))
    responsible_people = models.TextField(_("responsible organisation and people"))
    time_limits = models.TextField(_("time limits and requirements"))
    safety_and_emergency = models.TextField(_("safety measures and emergency plan"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")

    def __str__(self):
        return f"{self.hazard.number} plan"

    def is_complete(self) -> bool:
        return all((getattr(self, part) or "").strip() for part in self.PARTS)


class DeadlineExtension(models.Model):
    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    current_deadline = models.DateField(_("deadline when requested"))
    new_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"],
                condition=Q(status="pending"),
                name="hazard_one_pending_extension",
                violation_error_message=_("An extension request is already waiting for a decision."),
            ),
            models.CheckConstraint(
                condition=Q(new_deadline__gt=models.F("current_deadline")),
                name="extension_moves_deadline_later",
                violation_error_message=_("The new deadline must be later than the current one."),
            ),
        ]

    def __str__(self):
        return f"{self.hazard_id}: {self.current_deadline} → {self.new_deadline} ({self.status})"
