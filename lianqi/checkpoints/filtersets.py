import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqi.core.filtersets import BaseFilterSet, SubtreeFilter

from .choices import AlertStatus, CheckpointKind, Decision, Direction, HealthCode, VerificationStatus
from .models import Alert, Checkpoint, Entry, Verification


class CheckpointFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    within = SubtreeFilter(label=_("Within"), field_name="jurisdiction")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CheckpointKind.choices)

    class Meta:
        model = Checkpoint
        fields = ["q", "within", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(address__icontains=value) | Q(enterprise__name__icontains=value)
        )


class EntryFilterSet(BaseFilterSet):
    checkpoint = django_filters.ModelChoiceFilter(label=_("Checkpoint"), queryset=Checkpoint.objects.all())
    day = django_filters.DateFilter(label=_("Day"), field_name="at", lookup_expr="date")
    decision = django_filters.ChoiceFilter(label=_("Decision"), choices=Decision.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Direction.choices)
    health_code = django_filters.ChoiceFilter(label=_("Health code"), choices=HealthCode.choices)

    class Meta:
        model = Entry
        fields = ["checkpoint", "day", "decision", "direction", "health_code"]


class AlertFilterSet(BaseFilterSet):
    checkpoint = django_filters.ModelChoiceFilter(label=_("Checkpoint"), queryset=Checkpoint.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AlertStatus.choices)
    day = django_filters.DateFilter(label=_("Day"), field_name="raised_at", lookup_expr="date")

    class Meta:
        model = Alert
        fields = ["checkpoint", "status", "day"]


class VerificationFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VerificationStatus.choices)
    within = SubtreeFilter(label=_("Within"), field_name="jurisdiction")

    class Meta:
        model = Verification
        fields = ["status", "within"]
