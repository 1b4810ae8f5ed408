"""Serializer fields shared by the apps' APIs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's ``SlugRelatedField`` that refuses, as ``CharField`` does, text no database column can
    hold before looking it up: a NUL character (PostgreSQL raises ``DataError``, a 500) or a lone
    surrogate (not encodable as UTF-8). Found by the API fuzzer."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            ProhibitSurrogateCharactersValidator()(data)
            try:
                ProhibitNullCharactersValidator()(data)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages, code="null_characters_not_allowed") from None
        return super().to_internal_value(data)
