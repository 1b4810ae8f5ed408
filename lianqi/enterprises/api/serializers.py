from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from lianqi.accounts.models import User
from lianqi.core.api.fields import SlugRelatedField
from lianqi.departments.models import Department
from lianqi.industries.models import Industry
from lianqi.jurisdictions.models import Jurisdiction

from .. import credit_code
from ..models import Assignment, Enterprise
from ..services import assign, assignable_officials, editable_jurisdictions, save_enterprise


class CreditCodeField(serializers.CharField):
    """Normalised (full-width, lower case, spaces, hyphens) then checked against GB 32100."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return credit_code.validate(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0], code=error.code) from None


def _as_field_errors(error: DjangoValidationError) -> serializers.ValidationError:
    from django.core.exceptions import NON_FIELD_ERRORS
    from rest_framework.settings import api_settings

    detail = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return serializers.ValidationError(detail)


class EnterpriseSerializer(serializers.ModelSerializer):
    credit_code = CreditCodeField(
        max_length=64,
        validators=[
            UniqueValidator(
                queryset=Enterprise.objects.all(),
                message=_("An enterprise with this credit code is already registered."),
            )
        ],
    )
    jurisdiction = serializers.PrimaryKeyRelatedField(queryset=Jurisdiction.objects.all())
    operating_jurisdiction = serializers.PrimaryKeyRelatedField(
        queryset=Jurisdiction.objects.all(), required=False, allow_null=True
    )
    industry = SlugRelatedField(slug_field="code", queryset=Industry.objects.all())
    sector_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    risk_tier_display = serializers.CharField(source="get_risk_tier_display", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "name_initials",
            "address",
            "latitude",
            "longitude",
            "jurisdiction",
            "jurisdiction_name",
            "operating_jurisdiction",
            "industry",
            "industry_name",
            "scale",
            "sector_department",
            "legal_representative",
            "legal_representative_phone",
            "safety_manager",
            "safety_manager_phone",
            "contact_name",
            "contact_phone",
            "headcount",
            "risk_tier",
            "risk_tier_display",
            "is_key",
            "hazardous_chemicals",
            "key_fire_unit",
            "high_risk_work",
            "material_producer",
            "status",
            "status_display",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "name_initials", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["jurisdiction"].queryset = editable_jurisdictions(request.user)
            self.fields["operating_jurisdiction"].queryset = Jurisdiction.objects.visible_to(request.user)
            self.fields["sector_department"].queryset = Department.objects.visible_to(request.user)

    def validate(self, attrs):
        instance = Enterprise(**{**self._current(), **attrs})
        try:
            # Model-level rules (location complete, phone formats, ranges); uniqueness is checked above.
            instance.full_clean(exclude=["credit_code"], validate_unique=False)
        except DjangoValidationError as error:
            raise _as_field_errors(error) from None
        return attrs

    def _current(self) -> dict:
        if self.instance is None:
            return {}
        return {f.attname: getattr(self.instance, f.attname) for f in Enterprise._meta.concrete_fields}

    def create(self, validated_data):
        return save_enterprise(Enterprise(**validated_data), actor=self.context["request"].user)

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return save_enterprise(instance, actor=self.context["request"].user)


class AssignmentSerializer(serializers.ModelSerializer):
    official = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    official_name = serializers.CharField(source="official.__str__", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "official",
            "official_name",
            "enterprise",
            "enterprise_name",
            "role",
            "role_display",
            "start",
            "end",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # the model's constraints are checked in validate(), with their own messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["official"].queryset = assignable_officials(request.user)
            # Only enterprises the caller may change can be given an official.
            self.fields["enterprise"].queryset = Enterprise.objects.editable_by(request.user)

    def validate(self, attrs):
        current = {}
        if self.instance is not None:
            current = {f.attname: getattr(self.instance, f.attname) for f in Assignment._meta.concrete_fields}
        instance = Assignment(**{**current, **attrs})
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise _as_field_errors(error) from None
        return attrs

    def create(self, validated_data):
        return assign(**validated_data, actor=self.context["request"].user)

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        instance._history_user = self.context["request"].user
        instance.save()
        return instance
