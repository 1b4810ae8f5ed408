from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lianqi.core.api.parsers import LimitedJSONParser
from lianqi.core.api.viewsets import ScopedViewSetMixin
from lianqi.core.uploads import check_size
from lianqi.inspections.models import Inspection

from .. import services
from ..coverage import leader_visits
from ..drafts import Matcher, error_message
from ..extractor import ExtractionError, extract_bytes_with_spans, extract_with_spans
from ..filtersets import VisitFilterSet
from .serializers import ExtractInputSerializer, TaskInputSerializer, VisitInputSerializer, VisitSerializer

REPORT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".docx")


def _draft(extraction, matcher) -> dict:
    return {
        **extraction.record,
        "matches": matcher.matches(extraction.record),
        "spans": extraction.spans,
        "text": extraction.text,
    }


def _api_error(error: ValidationError):
    return APIValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


class VisitExtractView(APIView):
    """Text (or files) in, draft out. Nothing is stored: the caller reviews the draft and POSTs
    it to ``/api/v1/visits/``. A report without a visit answers 422 ``no_visit_found``; a file
    that is not text answers 422 ``unreadable_input``. With files, each file (each member of a
    zip) gets its own result."""

    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]

    def check_permissions(self, request):
        super().check_permissions(request)
        if not services.can_import(request.user):
            raise PermissionDenied(code="permission_denied")

    @extend_schema(
        request=ExtractInputSerializer,
        responses={200: OpenApiTypes.OBJECT, 422: OpenApiResponse(description="no_visit_found / unreadable_input")},
    )
    def post(self, request):
        from ..drafts import _zip_members

        matcher = Matcher(request.user)
        uploads = request.FILES.getlist("files") or request.FILES.getlist("file")
        if uploads:
            results = []
            for upload in uploads:
                try:
                    check_size(upload)
                except ValidationError as exc:
                    results.append({"file": upload.name, "code": "too_large", "message": " ".join(exc.messages)})
                    continue
                data = upload.read()
                members = (
                    _zip_members(data, upload.name) if upload.name.lower().endswith(".zip") else [(upload.name, data)]
                )
                for name, content in members:
                    if not isinstance(content, bytes):
                        results.append({"file": name, "code": content.code, "message": content.message})
                        continue
                    if not name.lower().endswith(REPORT_SUFFIXES):
                        results.append({"file": name, "code": "file_type", "message": "unsupported file type"})
                        continue
                    try:
                        results.append(
                            {
                                "file": name,
                                "code": "ok",
                                "draft": _draft(extract_bytes_with_spans(content, name), matcher),
                            }
                        )
                    except ExtractionError as exc:
                        results.append(
                            {"file": name, "code": exc.code, "message": error_message(exc), "detail": str(exc)}
                        )
            return Response({"results": results})
        serializer = ExtractInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data.get("text") or ""
        try:
            extraction = extract_with_spans(text)
        except ExtractionError as exc:
            return Response(
                {"code": exc.code, "message": error_message(exc), "detail": str(exc)},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response({"draft": _draft(extraction, matcher)})


class VisitViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Leader visits the caller may see (the same rows as the ledger page). POST stores a
    reviewed draft; ``requirements/<id>/task`` deploys the task that follows a requirement up."""

    model = Inspection
    filterset_class = VisitFilterSet
    serializer_class = VisitSerializer
    ordering = ["-planned_date", "-pk"]
    create_roles = services.IMPORT_ROLES
    parser_classes = [LimitedJSONParser]

    def get_queryset(self):
        return (
            leader_visits(self.request.user)
            .select_related("visit_report", "enterprise")
            .prefetch_related("leaders", "departments", "visit_organisations", "requirements__task__assignments")
            .order_by("-planned_date", "-pk")
        )

    @extend_schema(request=VisitInputSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        serializer = VisitInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            visit = services.save_visit(actor=request.user, data=serializer.visit_input())
        except ValidationError as error:
            raise _api_error(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error), code="permission_denied") from None
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(
            VisitSerializer(visit, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=TaskInputSerializer, responses={201: VisitSerializer, 200: VisitSerializer})
    @action(detail=True, methods=["post"], url_path=r"requirements/(?P<rid>\d+)/task")
    def task(self, request, pk=None, rid=None):
        visit = self.get_object()  # 404 outside the caller's scope
        requirement = visit.requirements.filter(pk=rid).first()
        if requirement is None:
            from rest_framework.exceptions import NotFound

            raise NotFound()
        serializer = TaskInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            _task, created = services.requirement_to_task(
                requirement.pk,
                actor=request.user,
                deadline=serializer.validated_data.get("deadline"),
                departments=serializer.validated_data.get("departments") or None,
            )
        except ValidationError as error:
            raise _api_error(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error), code="permission_denied") from None
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(
            VisitSerializer(visit, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
