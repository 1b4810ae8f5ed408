import django_filters
from django.utils.translation import gettext_lazy as _

from lianqi.core.filtersets import BaseFilterSet, SubtreeFilter
from lianqi.enterprises.models import Enterprise

from .choices import Material
from .models import DailyReport, MaterialReport


class DailyReportFilterSet(BaseFilterSet):
    date = django_filters.DateFilter(label=_("report date"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("enterprise"))
    within = SubtreeFilter(field_name="enterprise__jurisdiction", label=_("within"))
    late = django_filters.BooleanFilter(label=_("late"))
    with_difficulties = django_filters.BooleanFilter(method="filter_difficulties", label=_("with difficulties"))

    class Meta:
        model = DailyReport
        fields = ["date", "date_from", "date_to", "enterprise", "within", "late", "channel"]

    def filter_difficulties(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(difficulties="") if value else queryset.filter(difficulties="")


class MaterialReportFilterSet(BaseFilterSet):
    date = django_filters.DateFilter(label=_("date"))
    material = django_filters.ChoiceFilter(choices=Material.choices, label=_("material"))
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("producer"))
    within = SubtreeFilter(field_name="enterprise__jurisdiction", label=_("within"))

    class Meta:
        model = MaterialReport
        fields = ["date", "material", "enterprise", "within"]
