from rest_framework import serializers

from lianqi.departments.models import Department
from lianqi.jurisdictions.models import Jurisdiction

from ..choices import TaskSource
from ..models import Task, TaskAssignment


class TaskAssignmentSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = TaskAssignment
        fields = [
            "id",
            "task",
            "department",
            "jurisdiction",
            "deadline",
            "status",
            "status_display",
            "progress",
            "is_overdue",
            "completed_at",
            "version",
        ]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    assignments = TaskAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "source",
            "source_note",
            "deployed_by",
            "jurisdiction",
            "deadline",
            "parent",
            "assignments",
            "created_at",
        ]
        read_only_fields = fields


class DeploySerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=TaskSource.choices, default=TaskSource.MEETING)
    source_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    deadline = serializers.DateField()
    jurisdiction = serializers.PrimaryKeyRelatedField(queryset=Jurisdiction.objects.all())
    departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False, default=list
    )
    jurisdictions = serializers.PrimaryKeyRelatedField(
        queryset=Jurisdiction.objects.all(), many=True, required=False, default=list
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(), required=False, allow_null=True, default=None
    )


class StepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)
    progress = serializers.IntegerField(required=False, min_value=0, max_value=100)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)
