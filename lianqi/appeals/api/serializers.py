from rest_framework import serializers

from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise

from ..choices import AppealType, Urgency
from ..models import Appeal


class AppealSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "jurisdiction",
            "channel",
            "appeal_type",
            "urgency",
            "title",
            "description",
            "lead_department",
            "supporting_departments",
            "is_complex",
            "time_limit_days",
            "due_date",
            "extension_until",
            "status",
            "status_display",
            "is_overdue",
            "reply",
            "replied_at",
            "rating",
            "solved",
            "closed_at",
            "version",
            "created_at",
            "available_actions",
        ]
        read_only_fields = fields

    def get_available_actions(self, appeal) -> list[str]:
        from ..workflow import APPEAL_WORKFLOW

        return [t.name for t in APPEAL_WORKFLOW.available(appeal, self.context["request"].user)]


class AppealCreateSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    appeal_type = serializers.ChoiceField(choices=AppealType.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class AppealStepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)
    lead_department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False)
    supporting_departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )
    is_complex = serializers.BooleanField(required=False)


class RatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    solved = serializers.BooleanField(default=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)
