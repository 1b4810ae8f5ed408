from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lianqi.accounts.choices import Role
from lianqi.core.api.parsers import LimitedJSONParser
from lianqi.core.api.viewsets import ScopedViewSetMixin

from .. import services
from ..filtersets import InspectionFilterSet
from ..models import Answer, Inspection
from .serializers import (
    AnswerSerializer,
    AnswersInputSerializer,
    InspectionDetailSerializer,
    InspectionPlanSerializer,
    InspectionSerializer,
    PhotoInputSerializer,
    PhotoSerializer,
    RecordInputSerializer,
    SignOffInputSerializer,
)


def _api_error(error: ValidationError, field="non_field_errors") -> APIValidationError:
    """A domain ValidationError as the API's error body, keeping each message's code."""
    if hasattr(error, "error_dict"):
        groups = error.error_dict.items()
    else:
        groups = [(field, error.error_list)]
    return APIValidationError(
        {
            key: [ErrorDetail(message, code=item.code or "invalid") for item in items for message in item.messages]
            for key, items in groups
        }
    )


class InspectionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inspections the caller may see. ``answers`` saves answers (all or none), ``photos`` adds a
    photo to an item, ``record`` the sites, summary and requirements, ``submit`` submits
    (idempotent: a second call changes nothing), ``sign_off`` signs a submitted inspection off."""

    model = Inspection
    filterset_class = InspectionFilterSet
    ordering = ["-planned_date", "-pk"]
    ordering_fields = ["planned_date", "due_date", "status"]
    create_roles = (Role.OFFICE, Role.LEADER, Role.ENTERPRISE)

    def get_queryset(self):
        queryset = (
            super()
            .get_queryset()
            .select_related("template_version__template")
            .prefetch_related("leaders", "inspectors", "departments", "requirements")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("answers", "photos", Prefetch("findings"))
        return queryset

    def get_serializer_class(self):
        return {
            "retrieve": InspectionDetailSerializer,
            "create": InspectionPlanSerializer,
            "answers": AnswersInputSerializer,
            "photos": PhotoInputSerializer,
            "record": RecordInputSerializer,
            "sign_off": SignOffInputSerializer,
        }.get(self.action, InspectionSerializer)

    def _detail(self, inspection, code=status.HTTP_200_OK, **extra):
        inspection = self.get_queryset().get(pk=inspection.pk)
        return Response(
            {**InspectionDetailSerializer(inspection, context=self.get_serializer_context()).data, **extra}, status=code
        )

    @extend_schema(request=InspectionPlanSerializer, responses={201: InspectionDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = InspectionPlanSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            inspection = services.plan_inspection(actor=request.user, **serializer.validated_data)
        except ValidationError as error:
            raise _api_error(error) from None
        return self._detail(inspection, status.HTTP_201_CREATED)

    def _conductable(self):
        inspection = self.get_object()  # 404 outside the caller's scope
        if not services.can_conduct(self.request.user, inspection):
            raise PermissionDenied(code="permission_denied")
        return inspection

    @extend_schema(request=AnswersInputSerializer, responses={200: AnswerSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def answers(self, request, pk=None):
        if request.method == "GET":
            inspection = self.get_object()
            return Response(AnswerSerializer(inspection.answers.order_by("item_code"), many=True).data)
        inspection = self._conductable()
        serializer = AnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.save_answers(inspection.pk, serializer.validated_data["answers"], actor=request.user)
        except ValidationError as error:
            raise _api_error(error) from None
        return Response(
            AnswerSerializer(Answer.objects.filter(inspection=inspection).order_by("item_code"), many=True).data
        )

    @extend_schema(request=PhotoInputSerializer, responses={201: PhotoSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        inspection = self._conductable()
        serializer = PhotoInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            photo = services.add_photo(
                inspection.pk, serializer.validated_data["item"], serializer.validated_data["photo"], actor=request.user
            )
        except ValidationError as error:
            raise _api_error(error, "photo") from None
        return Response(
            PhotoSerializer(photo, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=RecordInputSerializer, responses={200: InspectionDetailSerializer})
    @action(detail=True, methods=["post"], parser_classes=[LimitedJSONParser])
    def record(self, request, pk=None):
        inspection = self._conductable()
        serializer = RecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.save_record(inspection.pk, actor=request.user, **serializer.validated_data)
        except ValidationError as error:
            raise _api_error(error) from None
        return self._detail(inspection)

    @extend_schema(request=None, responses={200: InspectionDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        inspection = self._conductable()
        try:
            inspection, now = services.submit(inspection.pk, actor=request.user)
        except ValidationError as error:
            raise _api_error(error, "answers") from None
        return self._detail(inspection, already_submitted=not now)

    @extend_schema(request=SignOffInputSerializer, responses={200: InspectionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        inspection = self.get_object()
        serializer = SignOffInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            inspection = services.sign_off(inspection.pk, actor=request.user, **serializer.validated_data)
        except ValidationError as error:
            raise _api_error(error) from None
        return self._detail(inspection)
