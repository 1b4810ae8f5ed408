from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.views.generic import DetailView

from lianqi.core.listing import FilteredListView
from lianqi.core.scoping import get_visible_or_404
from lianqi.departments.models import Department

from .filtersets import JurisdictionFilterSet
from .models import Jurisdiction


class JurisdictionListView(FilteredListView):
    model = Jurisdiction
    filterset_class = JurisdictionFilterSet
    template_name = "jurisdictions/jurisdiction_list.html"
    partial_template_name = "jurisdictions/_jurisdiction_table.html"

    def get_queryset(self):
        return super().get_queryset().select_related("parent").annotate(child_count=Count("children")).order_by("path")


class JurisdictionDetailView(LoginRequiredMixin, DetailView):
    template_name = "jurisdictions/jurisdiction_detail.html"
    context_object_name = "node"

    def get_object(self, queryset=None):
        return get_visible_or_404(Jurisdiction, self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        node = self.object
        user = self.request.user
        context["ancestors"] = node.ancestors().visible_to(user)
        context["children"] = (
            Jurisdiction.objects.visible_to(user).filter(parent=node).annotate(child_count=Count("children"))
        )
        context["departments"] = Department.objects.visible_to(user).filter(jurisdiction=node)
        counts = dict(
            Jurisdiction.objects.visible_to(user)
            .subtree(node)
            .exclude(pk=node.pk)
            .values_list("level")
            .annotate(n=Count("pk"))
            .order_by()
        )
        context["level_counts"] = [
            (label, counts.get(value, 0))
            for value, label in Jurisdiction._meta.get_field("level").choices
            if value > node.level
        ]
        return context
