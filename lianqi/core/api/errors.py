"""API errors as JSON with a stable ``code``, a human ``message`` and per-field ``errors``.

    {"code": "invalid", "message": "…", "errors": {"field": [{"code": "required", "message": "…"}]}}

Messages are in the requesting user's language; codes never change, so clients branch on them.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


def _field_errors(detail):
    if isinstance(detail, dict):
        return {key: _field_errors(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(isinstance(item, dict) and {"message", "code"} <= set(item) for item in detail):
            return [{"code": item["code"], "message": str(item["message"])} for item in detail]
        return [_field_errors(item) for item in detail]
    return detail


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        details = exc.get_full_details()
        if isinstance(details, list):
            details = {"non_field_errors": details}
        response.data = {
            "code": "invalid",
            "message": _("The request has invalid fields; see errors."),
            "errors": _field_errors(details),
        }
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail) if not isinstance(detail, (dict, list)) else _("Request failed.")
        code = getattr(detail, "code", None) or exc.default_code
        response.data = {"code": code, "message": message}
    return response
