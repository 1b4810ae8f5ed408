from rest_framework import viewsets

from lianqi.accounts.choices import Role
from lianqi.core.api.viewsets import ScopedViewSetMixin

from ..filtersets import AssignmentFilterSet, EnterpriseFilterSet
from ..models import Assignment, Enterprise
from .serializers import AssignmentSerializer, EnterpriseSerializer


class ListFilterOnlyMixin:
    """Filters, search and ordering narrow lists only: a record's own URL finds it whatever the
    list's defaults (closed enterprises are left out of lists but are still there)."""

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


class EnterpriseViewSet(ListFilterOnlyMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    """Enterprises the caller may see, with the list page's filters (``q``, ``within``,
    ``industry``, ``scale``, ``risk_tier``, ``flags``, ``status`` — closed ones only with
    ``status=closed`` or ``status=all`` — and ``assigned``). The command office registers and
    changes the enterprises of its jurisdictions."""

    model = Enterprise
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "credit_code", "updated_at", "risk_tier"]
    ordering = ["name"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    create_roles = (Role.OFFICE,)

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction", "industry")


class AssignmentViewSet(ListFilterOnlyMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    """Officials responsible for enterprises (包联/驻企). End an assignment by setting ``end``."""

    model = Assignment
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    ordering_fields = ["start", "end", "role"]
    ordering = ["enterprise__name", "role"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    create_roles = (Role.OFFICE,)

    def get_queryset(self):
        return super().get_queryset().select_related("official", "enterprise")
