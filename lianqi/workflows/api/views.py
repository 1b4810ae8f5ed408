import mimetypes

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from ..models import Attachment


class AttachmentView(APIView):
    """An evidence file (photo or document) of a timeline entry. Served only to those who may
    see the item it belongs to; 404 for everybody else. Works with session and token auth."""

    # The file's own type: image/jpeg, application/pdf, … (application/octet-stream when unknown).
    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        item = Attachment.objects.select_related("entry__content_type").filter(pk=pk).first()
        if item is None:
            raise Http404
        model = item.entry.content_type.model_class()
        manager = getattr(model, "objects", None)
        if manager is None or not hasattr(manager, "visible_to"):
            raise Http404
        if not manager.visible_to(request.user).filter(pk=item.entry.object_id).exists():
            raise Http404
        try:
            handle = item.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        content_type = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
        response = FileResponse(handle, content_type=content_type, as_attachment=not item.is_image, filename=item.name)
        response["Cache-Control"] = "private, max-age=3600"
        return response
