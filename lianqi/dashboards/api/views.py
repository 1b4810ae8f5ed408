from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from lianqi.core.api.viewsets import ScopedViewSetMixin

from ..models import Bulletin


class BulletinSerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "jurisdiction",
            "jurisdiction_name",
            "kind",
            "period_start",
            "period_end",
            "title",
            "status",
            "generated_at",
            "scheduled",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def _url(self, bulletin, fmt) -> str | None:
        if not (bulletin.pdf if fmt == "pdf" else bulletin.xlsx):
            return None
        request = self.context.get("request")
        path = f"/api/v1/bulletins/{bulletin.pk}/download/?format_={fmt}"
        return request.build_absolute_uri(path) if request else path

    def get_pdf_url(self, bulletin) -> str | None:
        return self._url(bulletin, "pdf")

    def get_xlsx_url(self, bulletin) -> str | None:
        return self._url(bulletin, "xlsx")


class BulletinViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Bulletins of the jurisdictions the caller may see (officials only), newest first;
    ``download/?format_=pdf|xlsx`` returns the file."""

    model = Bulletin
    serializer_class = BulletinSerializer
    filterset_fields = ["jurisdiction", "kind", "status"]
    ordering = ["-period_end", "-created_at"]

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction")

    @extend_schema(
        parameters=[OpenApiParameter("format_", str, enum=["pdf", "xlsx"])], responses={200: OpenApiTypes.BINARY}
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        bulletin = self.get_object()
        fmt = request.query_params.get("format_", "pdf")
        field = bulletin.xlsx if fmt == "xlsx" else bulletin.pdf
        if not field:
            raise Http404
        return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1])
