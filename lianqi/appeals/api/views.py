from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lianqi.accounts.choices import Role
from lianqi.core.api.parsers import LimitedJSONParser
from lianqi.core.api.viewsets import ScopedViewSetMixin
from lianqi.enterprises.models import Enterprise
from lianqi.workflows.engine import StaleObject

from .. import services
from ..filtersets import AppealFilterSet
from ..models import Appeal
from ..workflow import APPEAL_WORKFLOW
from .serializers import AppealCreateSerializer, AppealSerializer, AppealStepSerializer, RatingSerializer


class AppealViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Enterprise difficulties (诉求) in the caller's scope. Steps are POST
    ``transitions/{name}/`` (route, object, accept, reply, follow_up, close); the enterprise
    rates a reply with POST ``rate/``."""

    model = Appeal
    serializer_class = AppealSerializer
    filterset_class = AppealFilterSet
    ordering = ["-created_at"]
    create_roles = (Role.OFFICE, Role.INSPECTOR, Role.DEPARTMENT, Role.LEADER, Role.ENTERPRISE)
    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise").prefetch_related("supporting_departments")

    @extend_schema(request=AppealCreateSerializer, responses={201: AppealSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AppealCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = data["enterprise"]
        access = request.user.access
        if (
            enterprise.pk not in access.enterprise_ids()
            and not Enterprise.objects.visible_to(request.user).filter(pk=enterprise.pk).exists()
        ):
            return Response(
                {
                    "code": "invalid",
                    "message": "",
                    "errors": {"enterprise": [{"code": "does_not_exist", "message": str(enterprise.pk)}]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        appeal = services.raise_appeal(actor=request.user, **data)
        return Response(AppealSerializer(appeal, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AppealStepSerializer,
        responses={200: AppealSerializer},
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=APPEAL_WORKFLOW.names())],
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        appeal = self.get_object()
        if name.startswith("rate_"):
            raise PermissionDenied("Use rate/ to rate a reply.")
        serializer = AppealStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v not in ("", None, [])}
        version = data.pop("version", None)
        try:
            appeal = APPEAL_WORKFLOW.perform(appeal, name, actor=request.user, expected_version=version, **data)
        except StaleObject as error:
            return Response({"code": "stale", "message": error.messages[0]}, status=status.HTTP_409_CONFLICT)
        return Response(AppealSerializer(appeal, context={"request": request}).data)

    @extend_schema(request=RatingSerializer, responses={200: AppealSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        appeal = self.get_object()
        serializer = RatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            appeal = services.rate(
                appeal,
                actor=request.user,
                rating=data["rating"],
                solved=data["solved"],
                comment=data["comment"],
                expected_version=data.get("version"),
            )
        except StaleObject as error:
            return Response({"code": "stale", "message": error.messages[0]}, status=status.HTTP_409_CONFLICT)
        return Response(AppealSerializer(appeal, context={"request": request}).data)

    def check_object_permissions(self, request, obj):
        if self.action in ("transition", "rate"):
            return
        super().check_object_permissions(request, obj)
