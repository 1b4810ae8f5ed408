import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqi.core.filtersets import BaseFilterSet

from .choices import HazardCategory, TemplateKind
from .models import ChecklistTemplate


class ChecklistTemplateFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TemplateKind.choices)
    hazard_category = django_filters.ChoiceFilter(label=_("Hazard category"), choices=HazardCategory.choices)

    class Meta:
        model = ChecklistTemplate
        fields = ["q", "kind", "hazard_category"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value))
