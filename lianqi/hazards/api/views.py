from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lianqi.accounts.choices import Role
from lianqi.core.api.parsers import LimitedJSONParser
from lianqi.core.api.viewsets import ScopedViewSetMixin
from lianqi.workflows.engine import StaleObject, timeline

from .. import services
from ..filtersets import HazardFilterSet
from ..models import Hazard
from ..workflow import HAZARD_WORKFLOW
from .serializers import HazardCreateSerializer, HazardSerializer, TimelineEntrySerializer, TransitionSerializer


class HazardViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Hidden hazards in the caller's scope. Life-cycle steps are POST actions:
    ``/api/v1/hazards/{id}/transitions/{name}/`` with ``name`` one of
    issue_order, dismiss, submit_rectification, resume, accept, return."""

    model = Hazard
    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet
    ordering_fields = ["found_at", "deadline", "number"]
    ordering = ["-found_at"]
    create_roles = (Role.OFFICE, Role.INSPECTOR, Role.DEPARTMENT, Role.ENTERPRISE)
    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    @extend_schema(request=HazardCreateSerializer, responses={201: HazardSerializer})
    def create(self, request, *args, **kwargs):
        serializer = HazardCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        hazard = services.report_hazard(actor=request.user, **serializer.validated_data)
        return Response(HazardSerializer(hazard, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: HazardSerializer},
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=HAZARD_WORKFLOW.names())],
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        hazard = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v not in ("", None, [])}
        version = data.pop("version", None)
        try:
            hazard = HAZARD_WORKFLOW.perform(hazard, name, actor=request.user, expected_version=version, **data)
        except StaleObject as error:
            return Response({"code": "stale", "message": error.messages[0]}, status=status.HTTP_409_CONFLICT)
        except ValidationError:
            raise
        except PermissionError as error:  # pragma: no cover - defensive
            raise PermissionDenied(str(error)) from None
        return Response(HazardSerializer(hazard, context={"request": request}).data)

    @extend_schema(responses={200: TimelineEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        hazard = self.get_object()
        return Response(TimelineEntrySerializer(timeline(hazard), many=True, context={"request": request}).data)

    def check_object_permissions(self, request, obj):
        # Transitions carry their own rules (enterprises act on hazards they cannot edit).
        if self.action == "transition":
            return
        super().check_object_permissions(request, obj)
