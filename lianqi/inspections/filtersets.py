import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.filtersets import BaseFilterSet, SubtreeFilter
from lianqi.enterprises.models import Enterprise

from .choices import OPEN_STATUSES, InspectionKind, InspectionStatus
from .models import Inspection


class InspectionFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InspectionKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InspectionStatus.choices)
    within = SubtreeFilter(label=_("Within"), field_name="jurisdiction")
    enterprise = django_filters.ModelChoiceFilter(label=_("Enterprise"), queryset=Enterprise.objects.all())
    date_from = django_filters.DateFilter(label=_("From"), field_name="planned_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="planned_date", lookup_expr="lte")
    mine = django_filters.BooleanFilter(label=_("Assigned to me"), method="filter_mine")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Inspection
        fields = ["q", "kind", "status", "within", "enterprise", "date_from", "date_to", "mine", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.filters[name].extra["widget"] = django_filters.widgets.forms.DateInput(attrs={"type": "date"})

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__iexact=value)
            | Q(place__icontains=value)
            | Q(title__icontains=value)
            | Q(leader_names__icontains=value)
        )

    def filter_mine(self, queryset, name, value):
        if value is None or self.request is None:
            return queryset
        mine = Q(pk__in=Inspection.inspectors.through.objects.filter(user=self.request.user).values("inspection"))
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
