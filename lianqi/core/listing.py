"""One list view for every app: scoped queryset, shared FilterSet, sorting, paging, htmx partial."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView


class FilteredListView(LoginRequiredMixin, ListView):
    filterset_class = None
    partial_template_name = None
    paginate_by = 50
    # Columns the user may sort by: {"query value": "ordering expression"}.
    sortable = {}
    # Columns of the CSV/XLSX export ([(label, accessor)]); empty: the list has no export.
    export_columns = []
    export_filename = "export"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx") and self.export_columns:
            from django.utils import timezone

            from .exports import export_response

            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            return export_response(fmt, f"{self.export_filename}-{stamp}", self.get_queryset(), self.export_columns)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_queryset(self):
        queryset = self.base_queryset()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        queryset = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        sort = self.request.GET.get("sort", "")
        if sort.lstrip("-") in self.sortable:
            expression = self.sortable[sort.lstrip("-")]
            queryset = queryset.order_by(("-" if sort.startswith("-") else "") + expression, "pk")
        return queryset

    def get_template_names(self):
        if self.partial_template_name and getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context["querystring"] = query.urlencode()
        context["can_export"] = bool(self.export_columns)
        context["current_sort"] = self.request.GET.get("sort", "")
        return context


class ScopedObjectMixin(LoginRequiredMixin):
    """Detail and edit views: 404 for outsiders, 403 for those who may see but not change."""

    model = None
    require_change = False

    def get_object(self, queryset=None):
        from .scoping import get_visible_or_404, require_change

        obj = get_visible_or_404(
            queryset if queryset is not None else self.get_queryset(), self.request.user, **{"pk": self.kwargs["pk"]}
        )
        if self.require_change:
            require_change(self.request.user, obj)
        return obj

    def get_queryset(self):
        return self.model._default_manager.all()
