import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianqi.core.filtersets import BaseFilterSet, SubtreeFilter
from lianqi.industries.models import Industry, IndustryLevel

from . import credit_code
from .choices import AssignmentRole, EnterpriseStatus, RiskTier, Scale
from .models import Assignment, Enterprise

FLAGS = [
    ("is_key", _("Key enterprise")),
    ("hazardous_chemicals", _("Hazardous chemicals")),
    ("key_fire_unit", _("Key fire-safety unit")),
    ("high_risk_work", _("High-risk work")),
    ("material_producer", _("Protective-material producer")),
]
ALL_STATUSES = "all"


class EnterpriseFilterSet(BaseFilterSet):
    """One FilterSet for the list page, the map, exports and ``/api/v1/enterprises/``.

    Closed enterprises stay in the registry but out of the way: without a ``status`` filter they
    are left out; ``status=closed`` (or ``status=all``) shows them."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    within = SubtreeFilter(label=_("Within"), field_name="jurisdiction")
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"),
        queryset=Industry.objects.filter(level__in=[IndustryLevel.SECTION, IndustryLevel.DIVISION]),
        method="filter_industry",
    )
    scale = django_filters.ChoiceFilter(label=_("Scale"), choices=Scale.choices)
    risk_tier = django_filters.MultipleChoiceFilter(
        label=_("Risk tier"), choices=RiskTier.choices, widget=forms.CheckboxSelectMultiple
    )
    flags = django_filters.MultipleChoiceFilter(
        label=_("Flags"), choices=FLAGS, method="filter_flags", widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*EnterpriseStatus.choices, (ALL_STATUSES, pgettext_lazy("enterprise status", "All, closed too"))],
        empty_label=pgettext_lazy("enterprise status", "Open (not closed)"),
        method="filter_status",
    )
    assigned = django_filters.ChoiceFilter(
        label=_("Responsible official"),
        choices=[("yes", _("Assigned")), ("no", _("Nobody assigned"))],
        method="filter_assigned",
    )

    class Meta:
        model = Enterprise
        fields = ["q", "within", "industry", "scale", "risk_tier", "flags", "status", "assigned"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so the default (closed ones left out) applies to a bare list URL too.
        super().__init__(data if data is not None else QueryDict(), *args, **kwargs)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.active()
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name__icontains=value) | Q(address__icontains=value)
        code = credit_code.normalize(value)
        if code.isascii() and code.isalnum():
            condition |= Q(credit_code__startswith=code) if len(code) < 18 else Q(credit_code=code)
        if value.isascii() and value.isalpha():
            condition |= Q(name_initials__contains=value.lower())
        return queryset.filter(condition)

    def filter_industry(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(industry_id=value.code) | Q(industry__parent_id=value.code) | Q(industry__parent__parent_id=value.code)
        )

    def filter_flags(self, queryset, name, value):
        wanted = {flag for flag, _label in FLAGS}
        return queryset.filter(**{flag: True for flag in value if flag in wanted})

    def filter_status(self, queryset, name, value):
        if not value or value == ALL_STATUSES:
            return queryset
        return queryset.filter(status=value)

    def filter_assigned(self, queryset, name, value):
        current = Exists(Assignment.objects.current().filter(enterprise=OuterRef("pk")))
        if value == "yes":
            return queryset.filter(current)
        if value == "no":
            return queryset.filter(~current)
        return queryset


class AssignmentFilterSet(BaseFilterSet):
    enterprise = django_filters.NumberFilter(label=_("Enterprise"), field_name="enterprise_id")
    official = django_filters.NumberFilter(label=_("Official"), field_name="official_id")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=AssignmentRole.choices)
    within = SubtreeFilter(label=_("Within"), field_name="enterprise__jurisdiction")
    current = django_filters.BooleanFilter(label=_("Current only"), method="filter_current")

    class Meta:
        model = Assignment
        fields = ["enterprise", "official", "role", "within", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        current_ids = Assignment.objects.current().values("pk")
        return queryset.filter(pk__in=current_ids) if value else queryset.exclude(pk__in=current_ids)
