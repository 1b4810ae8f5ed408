from rest_framework import serializers

from lianqi.enterprises.models import Enterprise

from ..choices import HazardCategory, HazardGrade
from ..models import Hazard


class HazardSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "jurisdiction",
            "source",
            "found_at",
            "location",
            "description",
            "grade",
            "category",
            "standard_clause",
            "supervising_department",
            "responsible_person",
            "deadline",
            "original_deadline",
            "measures",
            "funds",
            "stop_production",
            "status",
            "status_display",
            "is_overdue",
            "version",
            "listing_level",
            "listing_body",
            "listing_notice",
            "listed_at",
            "closed_at",
            "available_actions",
        ]
        read_only_fields = fields

    def get_available_actions(self, hazard) -> list[str]:
        from ..workflow import HAZARD_WORKFLOW

        return [t.name for t in HAZARD_WORKFLOW.available(hazard, self.context["request"].user)]


class HazardCreateSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    category = serializers.ChoiceField(choices=HazardCategory.choices)
    grade = serializers.ChoiceField(choices=HazardGrade.choices, default=HazardGrade.GENERAL)
    description = serializers.CharField(max_length=5000)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    standard_clause = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    def validate_enterprise(self, enterprise):
        if not Enterprise.objects.visible_to(self.context["request"].user).filter(pk=enterprise.pk).exists():
            raise serializers.ValidationError(
                serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"].format(
                    pk_value=enterprise.pk
                ),
                code="does_not_exist",
            )
        return enterprise


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, help_text="The version you saw; a stale one is refused (409).")
    deadline = serializers.DateField(required=False)
    responsible_person = serializers.CharField(required=False, max_length=50)
    measures = serializers.CharField(required=False)
    stop_production = serializers.BooleanField(required=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", default=None)
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()
    attachments = serializers.SerializerMethodField()

    def get_attachments(self, entry) -> list[str]:
        request = self.context.get("request")
        urls = [a.get_absolute_url() for a in entry.attachments.all()]
        return [request.build_absolute_uri(u) for u in urls] if request else urls
