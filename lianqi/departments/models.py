from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.core.models import BilingualNameMixin, TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths

from .choices import DepartmentKind


class DepartmentQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        # Officials see the departments of their jurisdictions and below, and those of the levels
        # above them (a district routes work to city departments too).
        below = under_paths("jurisdiction", access.jurisdiction_paths())
        above = Q(jurisdiction__code__in=access.ancestor_codes()) if access.ancestor_codes() else None
        return any_of([below, above])

    def change_q(self, access):
        # The command office configures the departments of its jurisdiction and below.
        from lianqi.accounts.choices import Role

        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))

    def responsible_for(self, industry_code: str):
        """Sector-authority departments whose sectors include the industry, its division, group or
        section; annotated with ``specificity`` (length of the matched code; a section counts 0)."""
        from lianqi.industries.models import Industry

        codes = [industry_code[:i] for i in range(2, len(industry_code) + 1)]
        section = Industry.objects.filter(code=industry_code[:2]).values_list("parent_id", flat=True).first()
        if section:
            codes.append(section)
        return (
            self.filter(kind=DepartmentKind.SECTOR, sectors__code__in=codes)
            .annotate(specificity=models.Max(Length("sectors__code")))
            .order_by("-specificity", "-jurisdiction__path")
        )


class Department(BilingualNameMixin, TimeStampedModel):
    """A government department at some level of the tree (卫健委, 应急管理局, 市场监管局…)."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    sectors = models.ManyToManyField(
        "industries.Industry",
        verbose_name=_("sectors responsible for"),
        blank=True,
        related_name="departments",
        help_text=_("Who manages the sector manages its safety (三管三必须)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sectors])

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["jurisdiction__path", "name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name_zh"],
                name="department_unique_name_per_jurisdiction",
                violation_error_message=_("This jurisdiction already has a department of that name."),
            )
        ]

    def get_absolute_url(self):
        return reverse("departments:detail", args=[self.pk])
