from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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

from .choices import HANDLING_STATUSES, MAX_DAYS, OPEN_STATUSES, AppealStatus, AppealType, Channel, Urgency


class AppealQuerySet(ScopedQuerySet):
    territorial_roles = (Role.LEADER, Role.OFFICE, Role.INSPECTOR)

    def scope_q(self, access):
        territorial = access.jurisdiction_paths(roles=self.territorial_roles)
        conditions = [under_paths("jurisdiction", territorial)]
        for membership in access.memberships_with(Role.DEPARTMENT):
            department = membership.department
            # The lead or a supporting department, within the department's own jurisdiction.
            # Supporting departments through a subquery, not a join: no row comes twice, so
            # lists and aggregates need no DISTINCT (a DISTINCT over every column made the
            # dashboard's appeal figures sort all the city's appeals).
            supporting = Appeal.supporting_departments.through.objects.filter(department=department)
            conditions.append(
                Q(jurisdiction__path__startswith=department.jurisdiction.path)
                & (Q(lead_department=department) | Q(pk__in=supporting.values("appeal_id")))
            )
        if access.enterprise_ids():
            conditions.append(Q(enterprise__in=access.enterprise_ids()))
        return any_of(conditions)

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def handling(self):
        return self.filter(status__in=HANDLING_STATUSES, due_date__isnull=False)

    def overdue(self, today=None):
        return self.filter(status__in=HANDLING_STATUSES, due_date__lt=today or timezone.localdate())


class Appeal(TimeStampedModel):
    """A difficulty an enterprise asks the government to help with (诉求)."""

    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="appeals"
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="appeals"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    appeal_type = models.CharField(_("type"), max_length=30, choices=AppealType.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("raised during"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_raised",
    )
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first receiver (首接负责)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_received",
    )
    lead_department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_led",
    )
    supporting_departments = models.ManyToManyField(
        "departments.Department", verbose_name=_("supporting departments"), blank=True, related_name="appeals_supported"
    )
    is_complex = models.BooleanField(_("complex matter"), default=False)
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)],
    )
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    objection_deadline = models.DateTimeField(_("objections until"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    extension_until = models.DateField(_("extension asked until"), null=True, blank=True)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("follow-up call at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.SUBMITTED)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = AppealQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[supporting_departments])

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The office queue and lists by jurisdiction and status.
            models.Index(fields=["jurisdiction", "status", "created_at"], name="appeal_queue"),
            # The department's queue and the deadline job.
            models.Index(fields=["lead_department", "status"], name="appeal_lead_status"),
            models.Index(fields=["status", "due_date"], name="appeal_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="appeal_rating_1_to_5",
                violation_error_message=_("Satisfaction is rated from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(time_limit_days__isnull=True) | Q(time_limit_days__lte=MAX_DAYS),
                name="appeal_time_limit_at_most_30",
                violation_error_message=_("A time limit is never more than 30 working days."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("appeals:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = next_number("SQ", self.jurisdiction, timezone.localdate().year)
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.status in HANDLING_STATUSES and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def notification_jurisdiction(self):
        return self.jurisdiction

    def notification_recipients(self, kind):
        from lianqi.accounts import directory

        action = kind.split(".", 1)[1]
        lead = list(directory.department_staff(self.lead_department))
        supporting = [u for d in self.supporting_departments.all() for u in directory.department_staff(d)]
        enterprise = list(directory.enterprise_users(self.enterprise))
        offices = list(directory.offices_over(self.jurisdiction))
        receiver = [self.first_receiver] if self.first_receiver_id else []
        return {
            "submitted": offices + receiver,
            "route": lead + supporting,
            "object": offices,
            "accept": enterprise + receiver,
            "reply": enterprise + receiver,
            "rate_unsatisfied": offices + lead,
            "rate_satisfied": lead,
            "close": lead + enterprise,
            "reminder": lead,
            "overdue": lead + receiver,
            "escalation1": lead + supporting + receiver,
            "escalation2": offices,
            "extension_requested": offices,
            "extension_decided": lead,
        }.get(action, lead)

    def notification_title(self, kind, event):
        from .notices import title_for

        return title_for(self, kind, event)


class RoutingRuleQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        paths = access.jurisdiction_paths(roles=[Role.OFFICE, Role.LEADER])
        return any_of([under_paths("jurisdiction", paths), Q(jurisdiction__isnull=True) if paths else None])

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class RoutingRule(models.Model):
    """Which department leads (and which support) for a type of difficulty, in a part of the
    tree and optionally for an industry. The most specific matching rule wins (see routing.py)."""

    appeal_type = models.CharField(
        _("type"), max_length=30, choices=AppealType.choices, blank=True, help_text=_("Empty: any type.")
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("The rule applies to enterprises in this node and below; empty: everywhere."),
    )
    industry_prefix = models.CharField(
        _("industry code"),
        max_length=4,
        blank=True,
        help_text=_("A section letter or the start of a GB/T 4754 code; empty: any."),
    )
    lead_department = models.ForeignKey(
        "departments.Department", verbose_name=_("lead department"), on_delete=models.CASCADE, related_name="+"
    )
    supporting_departments = models.ManyToManyField(
        "departments.Department", verbose_name=_("supporting departments"), blank=True, related_name="+"
    )
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Breaks ties between equally specific rules; higher first.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["-priority", "pk"]

    def __str__(self):
        return f"{self.get_appeal_type_display() or '*'} · {self.jurisdiction or '*'} · {self.industry_prefix or '*'} → {self.lead_department}"


class TimeLimitRule(models.Model):
    """Working days allowed for a type and urgency (defaults: policy questions 1, others 3,
    complex matters 15; never more than 30)."""

    appeal_type = models.CharField(_("type"), max_length=30, choices=AppealType.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)]
    )

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [
            models.UniqueConstraint(fields=["appeal_type", "urgency"], name="time_limit_unique_type_urgency"),
            models.CheckConstraint(
                condition=Q(working_days__gte=1, working_days__lte=MAX_DAYS),
                name="time_limit_1_to_30_days",
                violation_error_message=_("A time limit is from 1 to 30 working days."),
            ),
        ]

    def __str__(self):
        return f"{self.appeal_type or '*'}/{self.urgency or '*'}: {self.working_days}"
