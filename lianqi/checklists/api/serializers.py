from rest_framework import serializers

from ..models import ChecklistTemplate, TemplateVersion
from ..transfer import export_version


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateVersion
        fields = ["id", "number", "status", "published_at", "change_note"]


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    hazard_category = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    versions = VersionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = [
            "id",
            "code",
            "kind",
            "kind_display",
            "hazard_category",
            "name_zh",
            "name_en",
            "is_active",
            "versions",
        ]
        read_only_fields = fields


class ChecklistTemplateDetailSerializer(ChecklistTemplateSerializer):
    latest = serializers.SerializerMethodField(help_text="The latest published version in the JSON exchange format.")

    class Meta(ChecklistTemplateSerializer.Meta):
        fields = [*ChecklistTemplateSerializer.Meta.fields, "latest"]
        read_only_fields = fields

    def get_latest(self, template) -> dict | None:
        version = template.latest_published()
        return export_version(version) if version else None


class TemplateImportSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="A template JSON file (multipart).")
    document = serializers.JSONField(required=False, help_text="Or the template JSON itself.")
