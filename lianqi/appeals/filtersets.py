import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqi.core.filtersets import BaseFilterSet, OverdueFilter, SubtreeFilter
from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise

from .choices import HANDLING_STATUSES, OFFICE_QUEUE, AppealStatus, AppealType, Channel
from .models import Appeal


class AppealFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    within = SubtreeFilter(label=_("Within"), field_name="jurisdiction")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AppealStatus.choices)
    appeal_type = django_filters.ChoiceFilter(label=_("Type"), choices=AppealType.choices)
    overdue = OverdueFilter(label=_("Overdue"), statuses=HANDLING_STATUSES, deadline_field="due_date")
    queue = django_filters.BooleanFilter(label=_("Waiting for routing"), method="filter_queue")
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Lead department"), field_name="lead_department", queryset=Department.objects.all()
    )
    enterprise = django_filters.ModelChoiceFilter(label=_("Enterprise"), queryset=Enterprise.objects.all())
    created_after = django_filters.DateFilter(label=_("Raised from"), field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(
        label=_("Raised until"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Appeal
        fields = [
            "q",
            "within",
            "status",
            "appeal_type",
            "overdue",
            "queue",
            "channel",
            "department",
            "enterprise",
            "created_after",
            "created_before",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(enterprise__name__icontains=value)
        )

    def filter_queue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=OFFICE_QUEUE) if value else queryset.exclude(status__in=OFFICE_QUEUE)
