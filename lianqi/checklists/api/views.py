import json

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, NotFound
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lianqi.core.api.parsers import LimitedJSONParser
from lianqi.core.api.viewsets import ScopedViewSetMixin

from ..filtersets import ChecklistTemplateFilterSet
from ..models import ChecklistTemplate, TemplateVersion
from ..services import require_office
from ..transfer import MAX_IMPORT_BYTES, export_version, import_template, parse
from .serializers import ChecklistTemplateDetailSerializer, ChecklistTemplateSerializer, TemplateImportSerializer


def _api_error(error: ValidationError) -> APIValidationError:
    code = getattr(error, "code", None) or "invalid_template"
    return APIValidationError({"document": [ErrorDetail(m, code=code) for m in error.messages]})


class ChecklistTemplateViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Checklist templates and their versions. ``export`` returns a version in the JSON exchange
    format; ``import`` (command office) adds a template or a new version from that format."""

    model = ChecklistTemplate
    filterset_class = ChecklistTemplateFilterSet
    ordering = ["kind", "code"]
    ordering_fields = ["code", "name_zh", "kind"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("versions", queryset=TemplateVersion.objects.order_by("-number")))
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ChecklistTemplateDetailSerializer
        if self.action == "import_json":
            return TemplateImportSerializer
        return ChecklistTemplateSerializer

    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="Version number (default: latest published)")],
        responses={200: dict},
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        template = self.get_object()
        number = request.query_params.get("version")
        version = (
            template.versions.filter(number=int(number)).first()
            if number and number.isdecimal()  # not isdigit(): "²" is a digit that int() refuses
            else template.latest_published()
        )
        if version is None:
            raise NotFound()
        return Response(export_version(version))

    @extend_schema(request=TemplateImportSerializer, responses={201: ChecklistTemplateDetailSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[LimitedJSONParser, MultiPartParser, FormParser],
    )
    def import_json(self, request):
        require_office(request.user)
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                data = parse(upload.read(MAX_IMPORT_BYTES + 1))  # parse refuses what is longer
            elif isinstance(request.data, dict) and "document" in request.data:
                document = request.data["document"]
                data = parse(document) if isinstance(document, str) else document
            else:
                data = request.data if not hasattr(request.data, "dict") else json.loads(json.dumps(request.data))
            version, created = import_template(data, actor=request.user)
        except ValidationError as error:
            raise _api_error(error) from None
        body = ChecklistTemplateDetailSerializer(version.template, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
