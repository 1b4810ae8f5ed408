"""Inspections (visits) of an enterprise or a place, done with a checklist version.

An inspection is planned (kind, date, place, people, template version), conducted on a phone
(answers saved one by one, photos, notes, sites inspected), submitted (answers frozen, failing
items become ``Finding`` rows proposing hazards, the score is kept) and signed off.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.accounts.choices import Role
from lianqi.checklists.choices import HazardCategory, HazardGrade
from lianqi.core.models import TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths

from .choices import OPEN_STATUSES, Assignee, Frequency, InspectionKind, InspectionStatus, PlanTargets


def _people_q(access, relation: str) -> Q:
    through = getattr(Inspection, relation).through
    return Q(pk__in=through.objects.filter(user=access.user).values("inspection"))


class InspectionQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        from lianqi.enterprises.models import Enterprise

        territorial = access.jurisdiction_paths(roles=[Role.LEADER, Role.OFFICE, Role.INSPECTOR])
        return any_of(
            [
                # Everything the user may see of the enterprise (territory, sector, assignment,
                # own enterprise) brings its inspections with it.
                Q(enterprise__in=Enterprise.objects.visible_to(access.user).values("pk")),
                # Places that are not enterprises: by the territory they are in.
                Q(enterprise__isnull=True) & under_paths("jurisdiction", territorial) if territorial else None,
                # The people on the inspection always see it.
                _people_q(access, "inspectors"),
                _people_q(access, "leaders"),
            ]
        )

    def change_q(self, access):
        enterprise_ids = access.enterprise_ids()
        return any_of(
            [
                under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE])),
                _people_q(access, "inspectors"),
                _people_q(access, "leaders"),
                Q(kind=InspectionKind.SELF, enterprise_id__in=enterprise_ids) if enterprise_ids else None,
            ]
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def assigned_to(self, user):
        return self.filter(_people_q(user.access, "inspectors"))


class Inspection(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices, default=InspectionKind.ROUTINE)
    status = models.CharField(
        _("status"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    template_version = models.ForeignKey(
        "checklists.TemplateVersion",
        verbose_name=_("checklist"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        help_text=_("The version is kept: the inspection renders with it even after the template changes."),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("When the inspection is not of an enterprise.")
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    planned_date = models.DateField(_("planned date"))
    due_date = models.DateField(_("due date"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise_representative = models.CharField(_("acknowledged for the enterprise by"), max_length=100, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("leaders"), blank=True, related_name="led_inspections"
    )
    leader_names = models.CharField(
        _("leaders (as named)"),
        max_length=300,
        blank=True,
        help_text=_("Leaders without an account, as the report names them."),
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        blank=True,
        related_name="assigned_inspections",
        help_text=_("The people who conduct the inspection and fill in the checklist."),
    )
    team_names = models.CharField(_("other team members"), max_length=300, blank=True)
    departments = models.ManyToManyField(
        "departments.Department", verbose_name=_("accompanying departments"), blank=True, related_name="inspections"
    )
    accompanied_by = models.CharField(_("accompanied by (enterprise)"), max_length=300, blank=True)
    sites_inspected = models.TextField(
        _("sites inspected"), blank=True, help_text=_("Workshops and places, one per line.")
    )
    summary = models.TextField(_("summary"), blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    failed_count = models.PositiveIntegerField(_("failing items"), default=0)
    plan = models.ForeignKey(
        "inspections.RecurringPlan",
        verbose_name=_("recurring plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    period_start = models.DateField(_("period"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InspectionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_date", "-pk"]
        indexes = [
            # Due and overdue lists: open inspections by due date.
            models.Index(fields=["status", "due_date"], name="inspection_status_due"),
            # The calendar and "this week": by planned date within a jurisdiction.
            models.Index(fields=["jurisdiction", "planned_date"], name="inspection_jurisdiction_date"),
            # An enterprise's inspections tab, newest first.
            models.Index(fields=["enterprise", "-planned_date"], name="inspection_enterprise_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | ~Q(place=""),
                name="inspection_has_target",
                violation_error_message=_("Name the enterprise or the place inspected."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("planned_date")),
                name="inspection_due_after_planned",
                violation_error_message=_("The due date is before the planned date."),
            ),
            # A recurring plan makes one inspection per enterprise and period, however often it runs.
            models.UniqueConstraint(
                fields=["plan", "enterprise", "period_start"],
                condition=Q(plan__isnull=False),
                name="inspection_one_per_plan_period",
                violation_error_message=_("This plan already has an inspection of this enterprise for this period."),
            ),
        ]

    def __str__(self):
        target = self.enterprise.name if self.enterprise_id else self.place
        return f"{self.get_kind_display()} · {target} · {self.planned_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("inspections:detail", args=[self.pk])

    @property
    def target_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.place

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    def sites_list(self) -> list[str]:
        return [line.strip() for line in self.sites_inspected.splitlines() if line.strip()]


class Answer(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="answers"
    )
    item_code = models.CharField(_("item"), max_length=30)
    value = models.JSONField(_("answer"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item_code"],
                name="answer_one_per_item",
                violation_error_message=_("This item is already answered."),
            )
        ]

    def __str__(self):
        return f"{self.item_code}: {self.value}"


def photo_path(instance, filename):
    return f"inspections/{timezone.localdate():%Y/%m}/{instance.inspection_id}/{filename}"


class Photo(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="photos"
    )
    item_code = models.CharField(_("item"), max_length=30, blank=True)
    image = models.ImageField(_("photo"), upload_to=photo_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["inspection", "item_code"], name="photo_inspection_item")]

    def __str__(self):
        return f"{self.item_code or '—'} · {self.image.name}"

    def get_absolute_url(self):
        return reverse("inspections:photo_file", args=[self.pk])


class Finding(models.Model):
    """Something found wrong, proposing a hazard for the hazards workflow (which turns a finding
    into a hazard). Item findings are made at submission from failing items; the item's text is
    copied so the finding reads the same when the template changes."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="findings"
    )
    item_code = models.CharField(_("item"), max_length=30, blank=True)
    item_text_zh = models.TextField(_("item text (Chinese)"), blank=True)
    item_text_en = models.TextField(_("item text (English)"), blank=True)
    clause = models.CharField(_("standard clause"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    proposed_category = models.CharField(_("proposed hazard category"), max_length=40, choices=HazardCategory.choices)
    proposed_grade = models.CharField(_("proposed hazard grade"), max_length=10, choices=HazardGrade.choices)
    photos = models.ManyToManyField(Photo, verbose_name=_("photos"), blank=True, related_name="findings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("found by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "pk"]
        constraints = [
            # Submitting twice never makes two findings for one item.
            models.UniqueConstraint(
                fields=["inspection", "item_code"],
                condition=~Q(item_code=""),
                name="finding_one_per_item",
                violation_error_message=_("This item already has a finding."),
            )
        ]

    def __str__(self):
        return f"{self.item_code or '—'} · {self.description[:40]}"

    @property
    def item_text(self) -> str:
        from lianqi.checklists.models import bilingual

        return bilingual(self, "item_text")


class Requirement(models.Model):
    """A requirement issued to the enterprise during the visit (free text, in order)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="requirements"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("requirement"))
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("follow-up task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requirements",
        help_text=_("The task deployed to carry the requirement out."),
    )

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["inspection", "position", "pk"]

    def __str__(self):
        return self.text[:60]


class PlanQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths())

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class RecurringPlan(TimeStampedModel):
    """Inspections made every period (e.g. monthly for key enterprises, quarterly for the
    others) in a jurisdiction, assigned to people. ``scheduling.generate`` makes them."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices, default=InspectionKind.ROUTINE)
    template = models.ForeignKey(
        "checklists.ChecklistTemplate", verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="plans"
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY)
    targets = models.CharField(_("enterprises"), max_length=30, choices=PlanTargets.choices, default=PlanTargets.KEY)
    assignee = models.CharField(
        _("assigned to"), max_length=20, choices=Assignee.choices, default=Assignee.ASSIGNED_OFFICIALS
    )
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("people"), blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("recurring inspection plan")
        verbose_name_plural = _("recurring inspection plans")
        ordering = ["jurisdiction__path", "name"]

    def __str__(self):
        return self.name
