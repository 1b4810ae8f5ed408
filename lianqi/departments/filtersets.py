import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqi.core.filtersets import BaseFilterSet, SubtreeFilter

from .choices import DepartmentKind
from .models import Department


class DepartmentFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DepartmentKind.choices)
    within = SubtreeFilter(label=_("Within"), field_name="jurisdiction")
    sector = django_filters.CharFilter(label=_("Responsible for industry code"), method="filter_sector")

    class Meta:
        model = Department
        fields = ["q", "kind", "within", "jurisdiction", "sector"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_zh__icontains=value) | Q(name_en__icontains=value) | Q(short_name__icontains=value)
        )

    def filter_sector(self, queryset, name, value):
        return queryset.responsible_for(value.strip()) if value.strip() else queryset
