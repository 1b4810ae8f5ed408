from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response

from lianqi.accounts.choices import Role
from lianqi.core.api.viewsets import ScopedViewSetMixin

from .. import services
from ..models import Draw, SpotCheckPlan
from .serializers import DrawInputSerializer, SpotCheckPlanSerializer


class SpotCheckPlanViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Spot-check plans. ``draw`` draws targets and inspectors (once; the seed is recorded and
    may be given); ``verify`` re-runs the recorded draw from its recorded inputs."""

    model = SpotCheckPlan
    serializer_class = SpotCheckPlanSerializer
    create_roles = (Role.OFFICE,)
    ordering = ["-period_start", "-pk"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items", "targets__enterprise", "targets__inspectors")

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    @extend_schema(request=DrawInputSerializer, responses={201: SpotCheckPlanSerializer})
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        plan = self.get_object()
        serializer = DrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.draw(plan.pk, actor=request.user, seed=serializer.validated_data.get("seed"))
        except ValidationError as error:
            code = error.code if hasattr(error, "code") and error.code else "invalid"
            raise APIValidationError({"draw": [ErrorDetail(m, code=code) for m in error.messages]}) from None
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        plan = self.get_object()
        record = Draw.objects.filter(plan=plan).first()
        if record is None:
            return Response({"code": "not_drawn", "message": _("The plan has not been drawn.")}, status=404)
        return Response({"seed": record.seed, "same_result": services.verify(record)})
