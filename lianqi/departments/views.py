from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from lianqi.accounts.choices import Role
from lianqi.core.listing import FilteredListView, ScopedObjectMixin
from lianqi.core.scoping import can_change, get_visible_or_404

from .filtersets import DepartmentFilterSet
from .forms import DepartmentForm
from .models import Department
from .services import save_department


class DepartmentListView(FilteredListView):
    model = Department
    filterset_class = DepartmentFilterSet
    template_name = "departments/department_list.html"
    partial_template_name = "departments/_department_table.html"
    sortable = {"name": "name_zh", "kind": "kind", "jurisdiction": "jurisdiction__path"}
    export_filename = "departments"
    export_columns = [
        (gettext_lazy("Name (Chinese)"), "name_zh"),
        (gettext_lazy("Name (English)"), "name_en"),
        (gettext_lazy("Kind"), "get_kind_display"),
        (gettext_lazy("Jurisdiction"), "jurisdiction.name_zh"),
        (gettext_lazy("Division code"), "jurisdiction.code"),
        (gettext_lazy("Sectors"), lambda d: ", ".join(s.code for s in d.sectors.all())),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction").prefetch_related("sectors")


class DepartmentDetailView(LoginRequiredMixin, DetailView):
    template_name = "departments/department_detail.html"
    context_object_name = "department"

    def get_object(self, queryset=None):
        return get_visible_or_404(
            Department.objects.select_related("jurisdiction").prefetch_related("sectors"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = can_change(self.request.user, self.object)
        return context


class DepartmentEditMixin:
    template_name = "departments/department_form.html"
    form_class = DepartmentForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = getattr(self, "object", None)
        return kwargs

    def form_valid(self, form):
        department = save_department(form, actor=self.request.user)
        messages.success(self.request, _("Department “%(name)s” saved.") % {"name": department})
        return redirect(department)


class DepartmentCreateView(LoginRequiredMixin, DepartmentEditMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.access.has_role(Role.OFFICE):
            raise PermissionDenied(_("Only the command office configures departments."))
        return super().dispatch(request, *args, **kwargs)


class DepartmentUpdateView(ScopedObjectMixin, DepartmentEditMixin, FormView):
    model = Department
    require_change = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)
