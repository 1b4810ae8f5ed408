from django.utils.translation import gettext as _
from rest_framework import serializers

from lianqi.accounts.models import User
from lianqi.checklists.models import ChecklistTemplate
from lianqi.core.api.fields import SlugRelatedField
from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise
from lianqi.jurisdictions.models import Jurisdiction

from ..choices import InspectionKind
from ..models import Answer, Finding, Inspection, Photo


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item_code")

    class Meta:
        model = Answer
        fields = ["item", "value", "note", "updated_at"]


class PhotoSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item_code")

    class Meta:
        model = Photo
        fields = ["id", "item", "image", "created_at"]


# Read-only codes are plain strings here: their choice sets are documented once, where they are
# written (and by the hazards API), so the schema has one enum per choice set.
class FindingSerializer(serializers.ModelSerializer):
    photos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    proposed_category = serializers.CharField(read_only=True)
    proposed_grade = serializers.CharField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "item_code",
            "item_text_zh",
            "item_text_en",
            "clause",
            "description",
            "proposed_category",
            "proposed_grade",
            "photos",
            "created_at",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    template = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requirements = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "title",
            "enterprise",
            "place",
            "jurisdiction",
            "planned_date",
            "due_date",
            "template",
            "leaders",
            "leader_names",
            "inspectors",
            "team_names",
            "departments",
            "accompanied_by",
            "sites_inspected",
            "summary",
            "requirements",
            "score",
            "failed_count",
            "submitted_at",
            "signed_off_at",
            "enterprise_representative",
        ]
        read_only_fields = fields

    def get_template(self, inspection) -> dict | None:
        version = inspection.template_version
        if version is None:
            return None
        return {"id": version.template_id, "code": version.template.code, "version": version.number}

    def get_requirements(self, inspection) -> list[str]:
        return [r.text for r in inspection.requirements.all()]


class InspectionDetailSerializer(InspectionSerializer):
    answers = AnswerSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "answers", "photos", "findings"]
        read_only_fields = fields


class InspectionPlanSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    template = SlugRelatedField(
        slug_field="code", queryset=ChecklistTemplate.objects.all(), required=False, allow_null=True
    )
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    jurisdiction = serializers.PrimaryKeyRelatedField(
        queryset=Jurisdiction.objects.all(), required=False, allow_null=True
    )
    planned_date = serializers.DateField()
    due_date = serializers.DateField(required=False, allow_null=True)
    leaders = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    inspectors = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False)
    leader_names = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    team_names = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
            self.fields["template"].queryset = ChecklistTemplate.objects.visible_to(user)
            self.fields["jurisdiction"].queryset = Jurisdiction.objects.visible_to(user)
            self.fields["leaders"].child_relation.queryset = User.objects.visible_to(user)
            self.fields["inspectors"].child_relation.queryset = User.objects.visible_to(user)
            self.fields["departments"].child_relation.queryset = Department.objects.visible_to(user)

    def validate(self, data):
        if not data.get("enterprise") and not data.get("place"):
            raise serializers.ValidationError(
                {"enterprise": _("Name the enterprise or the place inspected.")}, code="required"
            )
        if data["kind"] != InspectionKind.LEADER_VISIT and not data.get("template"):
            raise serializers.ValidationError({"template": _("Choose the checklist.")}, code="required")
        return data


class AnswerInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=30)
    value = serializers.JSONField(allow_null=True, required=False)
    note = serializers.CharField(allow_blank=True, required=False, max_length=4000)


class AnswersInputSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True)


class PhotoInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    photo = serializers.FileField()


class RecordInputSerializer(serializers.Serializer):
    sites_inspected = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    accompanied_by = serializers.CharField(required=False, allow_blank=True, max_length=300)
    requirements = serializers.ListField(child=serializers.CharField(max_length=2000), required=False)


class SignOffInputSerializer(serializers.Serializer):
    representative = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
