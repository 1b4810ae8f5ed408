import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .forms import style_widgets


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(django_filters.ModelChoiceFilter):
    """``?within=<jurisdiction id>``: rows whose jurisdiction (``field_name``) is that node or
    below it. The choices offered are the nodes the user may see."""

    def __init__(self, *args, **kwargs):
        from lianqi.jurisdictions.models import Jurisdiction

        kwargs.setdefault("queryset", Jurisdiction.objects.all())
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        prefix = f"{self.field_name}__path__startswith" if self.field_name else "path__startswith"
        return qs.filter(**{prefix: value.path})


class BaseFilterSet(django_filters.FilterSet):
    """FilterSet shared by a list page and its API endpoint; widgets styled for the page.

    Choice filters over scoped models offer only what the user may see, so a filter's option
    list never reveals a sibling district's names."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for flt in self.filters.values():
            queryset = getattr(flt, "queryset", None)
            if queryset is not None and not callable(queryset) and hasattr(queryset, "visible_to"):
                flt.queryset = queryset.visible_to(user)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_lq_styled", False):
            style_widgets(form)
            for name in ("q",):
                if name in form.fields:
                    form.fields[name].widget.input_type = "search"
            form._lq_styled = True
        return form


class OverdueFilter(django_filters.BooleanFilter):
    """``?overdue=true``: rows that still owe work (``statuses``) and whose deadline has passed;
    ``false``: the others."""

    def __init__(self, *args, statuses, deadline_field="deadline", **kwargs):
        self.statuses, self.deadline_field = tuple(statuses), deadline_field
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        from django.db.models import Q
        from django.utils import timezone

        if value is None:
            return qs
        overdue = Q(status__in=self.statuses, **{f"{self.deadline_field}__lt": timezone.localdate()})
        return qs.filter(overdue) if value else qs.exclude(overdue)
