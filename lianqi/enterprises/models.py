from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.accounts.choices import Role
from lianqi.accounts.models import phone_validator
from lianqi.core.models import TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths

from . import credit_code
from .choices import RISK_COLOURS, STATUS_COLOURS, AssignmentRole, EnterpriseStatus, RiskTier, Scale


def validate_credit_code(value):
    normalised = credit_code.validate(value)
    if normalised != value:
        raise ValidationError(_("Normalise the credit code before saving."), code="not_normalised")


@lru_cache(maxsize=65536)
def _word_initials(word: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(part[0] for part in lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore") if part)


def pinyin_initials(text: str) -> str:
    """First letters of the pinyin of each character: 江川化工 → jchg (for search).

    The name is cut into words the way pypinyin cuts it (so polyphonic characters read as in
    their word: 重庆 → cq) and each word's initials are cached: names are made of recurring words
    (江川, 化工, 有限公司), which makes an import of 100,000 names ~10× faster."""
    from pypinyin.seg.mmseg import seg

    return "".join(_word_initials(word) for word in seg.cut(text or "")).lower()


class EnterpriseQuerySet(ScopedQuerySet):
    territorial_roles = (Role.LEADER, Role.OFFICE, Role.INSPECTOR)

    def scope_q(self, access):
        territorial = access.jurisdiction_paths(roles=self.territorial_roles)
        conditions = [
            under_paths("jurisdiction", territorial),
            under_paths("operating_jurisdiction", territorial),
        ]
        # Department staff: their sector within their department's jurisdiction (三管三必须).
        for membership in access.memberships_with(Role.DEPARTMENT):
            department = membership.department
            codes = list(department.sectors.values_list("code", flat=True))
            sector = Q(sector_department=department)
            if codes:
                sector |= (
                    Q(industry__code__in=codes)
                    | Q(industry__parent__code__in=codes)
                    | Q(industry__parent__parent__code__in=codes)
                )
            conditions.append(Q(jurisdiction__path__startswith=department.jurisdiction.path) & sector)
        # Officials assigned to an enterprise (包联/驻企) see it wherever it is.
        if access.is_official:
            conditions.append(Q(pk__in=Assignment.objects.current().filter(official=access.user).values("enterprise")))
        # Enterprise users: their own enterprise only.
        enterprise_ids = access.enterprise_ids()
        if enterprise_ids:
            conditions.append(Q(pk__in=enterprise_ids))
        return any_of(conditions)

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))

    def active(self):
        return self.exclude(status=EnterpriseStatus.CLOSED)


class Enterprise(TimeStampedModel):
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(_("pinyin initials"), max_length=200, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("territorial jurisdiction"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    operating_jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("operating location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operating_enterprises",
        help_text=_("Where it operates, when that differs from where it is registered."),
    )
    industry = models.ForeignKey(
        "industries.Industry", verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises"
    )
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.BELOW)
    sector_department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("sector authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("Defaults from the industry through the departments' sectors; may be overridden."),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    legal_representative_phone = models.CharField(
        _("legal representative's phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    safety_manager = models.CharField(_("safety manager"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(
        _("safety manager's phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[phone_validator])
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    risk_tier = models.CharField(_("risk tier"), max_length=10, choices=RiskTier.choices, default=RiskTier.LOW)
    is_key = models.BooleanField(_("key enterprise"), default=False)
    hazardous_chemicals = models.BooleanField(_("hazardous chemicals"), default=False)
    key_fire_unit = models.BooleanField(_("key fire-safety unit"), default=False)
    high_risk_work = models.BooleanField(_("high-risk work"), default=False)
    material_producer = models.BooleanField(_("protective-material producer"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        indexes = [
            # The list page's default order and name search within a jurisdiction.
            models.Index(fields=["jurisdiction", "name"], name="enterprise_jurisdiction_name"),
            # Filters by industry and status on dashboards and the list page.
            models.Index(fields=["industry", "status"], name="enterprise_industry_status"),
            models.Index(fields=["name"], name="enterprise_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="enterprise_location_complete",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:detail", args=[self.pk])

    @property
    def risk_colour(self) -> str:
        return RISK_COLOURS.get(self.risk_tier, "secondary")

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "secondary")

    def clean(self):
        super().clean()
        if self.credit_code:
            try:
                self.credit_code = credit_code.validate(self.credit_code)
            except ValidationError as error:
                raise ValidationError({"credit_code": error.messages}) from None

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_initials"}
        super().save(*args, **kwargs)

    def default_sector_department(self):
        """The most specific sector authority for the industry, nearest in the tree."""
        from lianqi.departments.models import Department

        if not self.industry_id:
            return None
        candidates = Department.objects.responsible_for(self.industry_id).filter(is_active=True)
        ancestors = [p for p in self.jurisdiction.path.split("/") if p] if self.jurisdiction_id else []
        candidates = candidates.filter(jurisdiction__code__in=ancestors) if ancestors else candidates
        return candidates.order_by("-specificity", "-jurisdiction__level").first()


class AssignmentQuerySet(ScopedQuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(Q(start__isnull=True) | Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today))

    def scope_q(self, access):
        return Q(enterprise__in=Enterprise.objects.visible_to(access.user)) | Q(official=access.user)

    def change_q(self, access):
        return under_paths("enterprise__jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))


class Assignment(TimeStampedModel):
    """An official responsible for an enterprise (包联/驻企) for a period."""

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.PROTECT, related_name="assignments"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=AssignmentRole.choices)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["enterprise", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "enterprise", "role"],
                condition=Q(end__isnull=True),
                name="assignment_one_open_per_role",
                violation_error_message=_("This official already holds this role for this enterprise."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="assignment_period_ordered",
                violation_error_message=_("The end of the period is before its start."),
            ),
        ]

    def __str__(self):
        return f"{self.official} · {self.get_role_display()} · {self.enterprise}"
