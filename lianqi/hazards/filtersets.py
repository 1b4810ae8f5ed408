import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqi.core.filtersets import BaseFilterSet, OverdueFilter, SubtreeFilter
from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise

from .choices import RECTIFICATION_STATUSES, HazardCategory, HazardGrade, HazardSource, HazardStatus
from .models import Hazard


class HazardFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    within = SubtreeFilter(label=_("Within"), field_name="jurisdiction")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=HazardStatus.choices)
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=HazardGrade.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=HazardCategory.choices)
    overdue = OverdueFilter(label=_("Overdue"), statuses=RECTIFICATION_STATUSES)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=HazardSource.choices)
    open = django_filters.BooleanFilter(label=_("Open"), method="filter_open")
    department = django_filters.ModelChoiceFilter(
        label=_("Supervising department"), field_name="supervising_department", queryset=Department.objects.all()
    )
    enterprise = django_filters.ModelChoiceFilter(label=_("Enterprise"), queryset=Enterprise.objects.all())
    found_after = django_filters.DateFilter(label=_("Found from"), field_name="found_at", lookup_expr="date__gte")
    found_before = django_filters.DateFilter(label=_("Found until"), field_name="found_at", lookup_expr="date__lte")

    class Meta:
        model = Hazard
        fields = [
            "q",
            "within",
            "status",
            "grade",
            "category",
            "source",
            "overdue",
            "open",
            "department",
            "enterprise",
            "found_after",
            "found_before",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(description__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(location__icontains=value)
        )

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))
