from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lianqi.accounts.choices import Role
from lianqi.core.api.parsers import LimitedJSONParser
from lianqi.core.api.viewsets import ScopedViewSetMixin
from lianqi.jurisdictions.models import Jurisdiction

from .. import keypersons, services
from ..choices import AccessAction
from ..models import Alert, Checkpoint, Entry, KeyPersonList, Verification
from ..validation import clean_entry
from .serializers import (
    AlertSerializer,
    CheckpointSerializer,
    EntryInputSerializer,
    EntrySerializer,
    FollowUpInputSerializer,
    FollowUpSerializer,
    KeyPersonListSerializer,
    KeyPersonUploadSerializer,
    ReturningInputSerializer,
    VerificationSerializer,
    VerifyInputSerializer,
    entry_payload,
)

# An entry is a few hundred bytes; anything much larger is refused before it is parsed.
MAX_ENTRY_BODY = 8 * 1024


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class CheckpointViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Checkpoints the caller may see: guards their own, officials those of their area, an
    enterprise its gates. Guards register entries with ``POST {id}/entries/`` (JSON; ``client_id``
    makes a resend harmless: the stored entry comes back with 200 instead of 201)."""

    model = Checkpoint
    serializer_class = CheckpointSerializer
    lookup_value_regex = r"\d+"
    ordering = ["name"]
    ordering_fields = ["name"]
    search_fields = ["name", "address"]
    parser_classes = [LimitedJSONParser]

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction", "enterprise")

    def _checkpoint_for_registration(self, request, pk, id_hash=""):
        """The fast path (one query) for the checkpoint's own guards; otherwise 404 for those who
        may not see it and 403 for those who may see it but are not its guards."""
        checkpoint = Checkpoint.objects.for_registration(pk, request.user, id_hash)
        if checkpoint is not None:
            return checkpoint
        checkpoint = self.get_object()
        if not request.user.access.is_admin or not checkpoint.is_active:
            raise PermissionDenied(code="permission_denied")
        return checkpoint

    @extend_schema(
        methods=["POST"],
        request=EntryInputSerializer,
        responses={201: EntrySerializer, 200: EntrySerializer},
        description="Register an entry (guards of the checkpoint). 200 when client_id was already received.",
    )
    @extend_schema(methods=["GET"], responses={200: EntrySerializer(many=True)}, description="Today's entries, masked.")
    @action(detail=True, methods=["get", "post"])
    def entries(self, request, pk=None):
        if request.method == "POST":
            return self._register(request, pk)
        checkpoint = self.get_object()
        entries = Entry.objects.visible_to(request.user).filter(checkpoint=checkpoint).today().order_by("-at", "-id")
        page = self.paginate_queryset(entries)
        rows = [entry_payload(e) for e in page]
        services.log_access(request.user, AccessAction.API, checkpoint=checkpoint, rows=len(rows))
        return self.get_paginated_response(rows)

    def _register(self, request, pk):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_ENTRY_BODY:
            raise RequestTooLarge()
        # The body is checked first (no database needed), so the checkpoint lookup can also tell
        # whether a key-person list names this person: one query for both.
        cleaned = clean_entry(request.data, phone_optional=True)
        checkpoint = self._checkpoint_for_registration(request, pk, cleaned.id.hash)
        entry, created = services.register_entry(checkpoint, actor=request.user, data=cleaned)
        return Response(entry_payload(entry), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=ReturningInputSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def returning(self, request, pk=None):
        """What the guard page pre-fills for a person seen here before (POST: the ID number must
        not appear in a URL or an access log)."""
        checkpoint = self._checkpoint_for_registration(request, pk)
        data = request.data if isinstance(request.data, dict) else {}
        person = services.returning_person(checkpoint, data.get("id_number") or "")
        return Response({"found": person is not None, "person": person})


class AlertViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Checkpoint alerts (refused for fever, a non-green code or a key-person match) with their
    follow-ups. ``POST {id}/follow-ups/`` records what was done."""

    model = Alert
    serializer_class = AlertSerializer
    ordering = ["-raised_at"]
    ordering_fields = ["raised_at"]
    filterset_fields = ["status", "checkpoint"]

    def get_queryset(self):
        return super().get_queryset().select_related("checkpoint").prefetch_related("follow_ups__by")

    def check_object_permissions(self, request, obj):
        if self.action == "follow_up":  # the service checks who may record a follow-up
            return
        super().check_object_permissions(request, obj)

    @extend_schema(request=FollowUpInputSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_up(self, request, pk=None):
        alert = self.get_object()
        serializer = FollowUpInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.add_follow_up(alert, actor=request.user, **serializer.validated_data)
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class VerificationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Key-person matches the grid member verifies the same day. ``POST {id}/verify/``."""

    model = Verification
    serializer_class = VerificationSerializer
    ordering = ["status", "deadline"]
    ordering_fields = ["deadline", "seen_at"]
    filterset_fields = ["status"]

    def get_queryset(self):
        return super().get_queryset().select_related("checkpoint")

    def check_object_permissions(self, request, obj):
        if self.action == "verify":
            return
        super().check_object_permissions(request, obj)

    @extend_schema(request=VerifyInputSerializer, responses={200: VerificationSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        verification = self.get_object()
        serializer = VerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        verification = services.verify(verification, actor=request.user, **serializer.validated_data)
        return Response(VerificationSerializer(verification).data)


class KeyPersonListViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Key-person lists pushed from above. The command office uploads an .xlsx (multipart:
    ``file``, ``name``, ``jurisdiction``): ID numbers are hashed at import and the raw values
    dropped; the list is matched against the retained entries at once."""

    model = KeyPersonList
    serializer_class = KeyPersonListSerializer
    create_roles = (Role.OFFICE,)
    parser_classes = [MultiPartParser, FormParser]
    ordering = ["-created_at"]
    ordering_fields = ["created_at"]

    @extend_schema(request={"multipart/form-data": KeyPersonUploadSerializer}, responses={201: KeyPersonListSerializer})
    def create(self, request, *args, **kwargs):
        serializer = KeyPersonUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            node = Jurisdiction.objects.visible_to(request.user).get(pk=data["jurisdiction"])
        except Jurisdiction.DoesNotExist:
            raise Http404 from None
        try:
            result = keypersons.import_list(
                actor=request.user,
                upload=data["file"],
                name=data["name"],
                jurisdiction=node,
                source_note=data["source_note"],
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error), code="permission_denied") from None
        payload = KeyPersonListSerializer(result.key_list).data
        payload["skipped_rows"] = [{"row": row, "reason": reason} for row, reason in result.skipped[:100]]
        return Response(payload, status=status.HTTP_201_CREATED)
