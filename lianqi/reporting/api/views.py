import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from lianqi.accounts.choices import Role
from lianqi.core.api.viewsets import ScopedViewSetMixin
from lianqi.core.replica import replica_reads
from lianqi.core.scoping import get_visible_or_404
from lianqi.enterprises.models import Enterprise
from lianqi.jurisdictions.models import Jurisdiction

from .. import services
from ..filtersets import DailyReportFilterSet, MaterialReportFilterSet
from ..models import DailyReport, MaterialReport
from ..stats import resumption_stats
from .serializers import (
    DailyReportSerializer,
    DailyReportWriteSerializer,
    MaterialReportSerializer,
    ResumptionStatsSerializer,
)

MAX_DAYS = 366


class DailyReportViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Daily reports in the caller's scope (an enterprise sees its own only). POST creates the
    day's report, or corrects it when the enterprise already reported that day; the command
    office may post on an enterprise's behalf (marked as such). A figure that jumps by more
    than the configured factor from the previous report is refused with code ``confirm_jump``
    on that field: send again with ``confirmed: true``."""

    model = DailyReport
    serializer_class = DailyReportSerializer
    filterset_class = DailyReportFilterSet
    ordering_fields = ["date", "submitted_at"]
    ordering = ["-date", "enterprise"]
    create_roles = (Role.ENTERPRISE, Role.OFFICE)

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    @extend_schema(request=DailyReportWriteSerializer, responses={201: DailyReportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DailyReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = get_visible_or_404(Enterprise, request.user, pk=data.pop("enterprise").pk)
        confirmed = data.pop("confirmed", False)
        date = data.pop("date", None)
        report = services.submit_report(
            enterprise,
            actor=request.user,
            date=date,
            confirmed=confirmed,
            api_token=isinstance(request.successful_authenticator, TokenAuthentication),
            **data,
        )
        return Response(DailyReportSerializer(report).data, status=status.HTTP_201_CREATED)


class MaterialReportViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Protective-material producers' figures per material and day; POST creates or corrects."""

    model = MaterialReport
    serializer_class = MaterialReportSerializer
    filterset_class = MaterialReportFilterSet
    ordering = ["-date", "enterprise", "material"]
    create_roles = (Role.ENTERPRISE, Role.OFFICE)

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def create(self, request, *args, **kwargs):
        serializer = MaterialReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = get_visible_or_404(Enterprise, request.user, pk=data.pop("enterprise").pk)
        report = services.submit_material(enterprise, actor=request.user, **data)
        return Response(MaterialReportSerializer(report).data, status=status.HTTP_201_CREATED)


def parse_period(params) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    try:
        date_to = datetime.date.fromisoformat(params["to"]) if params.get("to") else today
        date_from = (
            datetime.date.fromisoformat(params["from"]) if params.get("from") else date_to - datetime.timedelta(days=6)
        )
    except ValueError:
        raise APIValidationError({"from": [_("Give dates as YYYY-MM-DD.")]}, code="invalid_date") from None
    if date_from > date_to:
        raise APIValidationError({"from": [_("'from' is after 'to'.")]}, code="invalid_period")
    if (date_to - date_from).days >= MAX_DAYS:
        raise APIValidationError({"from": [_("Ask for at most 366 days at a time.")]}, code="period_too_long")
    return date_from, date_to


class ResumptionStatsView(APIView):
    """Resumption rates of a jurisdiction's subtree over a period (default: the last 7 days),
    optionally per industry division, per child jurisdiction or per day. The definition of
    each figure is in ``definitions``; over several days figures sum enterprise-days."""

    @extend_schema(
        parameters=[
            OpenApiParameter("jurisdiction", int, description="Jurisdiction id (default: the caller's top node)"),
            OpenApiParameter("from", datetime.date),
            OpenApiParameter("to", datetime.date),
            OpenApiParameter("by", str, enum=["industry", "jurisdiction", "date"]),
        ],
        responses={
            200: ResumptionStatsSerializer,
            404: OpenApiResponse(description="The jurisdiction does not exist or is not visible to you."),
        },
    )
    def get(self, request):
        if not request.user.access.is_official:
            return Response(
                {"code": "permission_denied", "message": _("Rates are for officials.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        nodes = Jurisdiction.objects.visible_to(request.user)
        wanted = request.query_params.get("jurisdiction", "")
        node = (
            get_visible_or_404(Jurisdiction, request.user, pk=wanted)
            if wanted.isdecimal()  # not isdigit(): "²" is a digit that int() refuses
            else nodes.order_by("path").first()
        )
        if node is None:
            return Response({"code": "not_found", "message": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        by = request.query_params.get("by") or None
        if by not in (None, "industry", "jurisdiction", "date"):
            raise APIValidationError({"by": [_("Use industry, jurisdiction or date.")]}, code="invalid_choice")
        date_from, date_to = parse_period(request.query_params)
        with replica_reads():
            payload = resumption_stats(node, date_from, date_to, by=by)
        for group in payload["groups"]:
            group.pop("node", None)
        return Response(ResumptionStatsSerializer(payload).data)
