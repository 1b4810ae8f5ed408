import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqi.core.filtersets import BaseFilterSet, SubtreeFilter

from .choices import Level
from .models import Jurisdiction


class JurisdictionFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.TypedChoiceFilter(label=_("Level"), choices=Level.choices, coerce=int)
    within = SubtreeFilter(label=_("Within"), field_name="")
    parent = django_filters.ModelChoiceFilter(label=_("Parent"), queryset=Jurisdiction.objects.all())

    class Meta:
        model = Jurisdiction
        fields = ["q", "level", "within", "parent"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name_zh__icontains=value) | Q(name_en__icontains=value) | Q(code__startswith=value))
