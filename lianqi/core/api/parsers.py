"""JSON bodies bounded like form bodies.

Django refuses a form body above ``DATA_UPLOAD_MAX_MEMORY_SIZE``, but Django REST framework
reads JSON straight from the request stream, past that check. This parser applies the same
limit before anything is read into memory."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None:
            return super().parse(stream, media_type, parser_context)
        request = (parser_context or {}).get("request")
        meta = getattr(request, "META", {}) if request is not None else {}
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise RequestTooLarge()
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge()
        return super().parse(io.BytesIO(body), media_type, parser_context)
