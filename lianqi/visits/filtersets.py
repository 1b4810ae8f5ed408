import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from lianqi.accounts.models import User
from lianqi.core.filtersets import BaseFilterSet, SubtreeFilter
from lianqi.enterprises.models import Enterprise
from lianqi.inspections.models import Inspection

from .models import VisitOrganisation


class VisitFilterSet(BaseFilterSet):
    """Leader visits: the ledger page and ``/api/v1/visits/``."""

    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    leader = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Leader"),
        queryset=User.objects.filter(memberships__role="leader").distinct(),
        field_name="leaders",
    )
    enterprise = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Enterprise"), queryset=Enterprise.objects.all(), method="filter_enterprise"
    )
    within = SubtreeFilter(label=gettext_lazy("Within"), field_name="jurisdiction")
    month = django_filters.CharFilter(label=gettext_lazy("Month (YYYY-MM)"), method="filter_month")
    date_from = django_filters.DateFilter(label=gettext_lazy("From"), field_name="planned_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=gettext_lazy("To"), field_name="planned_date", lookup_expr="lte")
    mine = django_filters.BooleanFilter(label=gettext_lazy("Led by me"), method="filter_mine")

    class Meta:
        model = Inspection
        fields = ["q", "leader", "enterprise", "within", "month", "date_from", "date_to", "mine"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.filters[name].extra["widget"] = django_filters.widgets.forms.DateInput(attrs={"type": "date"})
        self.filters["month"].extra["widget"] = django_filters.widgets.forms.TextInput(attrs={"type": "month"})

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(place__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(leader_names__icontains=value)
            | Q(pk__in=VisitOrganisation.objects.filter(name__icontains=value).values("inspection"))
        )

    def filter_enterprise(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise=value) | Q(pk__in=VisitOrganisation.objects.filter(enterprise=value).values("inspection"))
        )

    def filter_month(self, queryset, name, value):
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            return queryset
        return queryset.filter(planned_date__year=int(m.group(1)), planned_date__month=int(m.group(2)))

    def filter_mine(self, queryset, name, value):
        if value is None or self.request is None:
            return queryset
        mine = Q(pk__in=Inspection.leaders.through.objects.filter(user=self.request.user).values("inspection"))
        return queryset.filter(mine) if value else queryset.exclude(mine)
