from rest_framework import viewsets

from lianqi.core.api.viewsets import ScopedViewSetMixin

from ..filtersets import JurisdictionFilterSet
from ..models import Jurisdiction
from .serializers import JurisdictionSerializer


class JurisdictionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The jurisdiction tree, as far as the caller may see it."""

    model = Jurisdiction
    serializer_class = JurisdictionSerializer
    filterset_class = JurisdictionFilterSet
    ordering_fields = ["path", "code", "level", "name_zh"]
    ordering = ["path"]
