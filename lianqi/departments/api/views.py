from django.db import transaction
from rest_framework import viewsets

from lianqi.accounts.choices import Role
from lianqi.core.api.viewsets import ScopedViewSetMixin

from ..filtersets import DepartmentFilterSet
from ..models import Department
from .serializers import DepartmentSerializer


class DepartmentViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Departments of the caller's jurisdictions, those below them and those above them.
    The command office creates and changes the departments of its own jurisdiction."""

    model = Department
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    ordering_fields = ["name_zh", "kind"]
    ordering = ["jurisdiction__path", "name_zh"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction").prefetch_related("sectors")

    create_roles = (Role.OFFICE,)

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()
