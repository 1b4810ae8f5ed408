from rest_framework import serializers

from lianqi.accounts.choices import Role
from lianqi.accounts.models import User
from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise
from lianqi.inspections.models import Inspection, Requirement
from lianqi.jurisdictions.models import Jurisdiction

from ..extractor import TOPICS
from ..services import LeaderInput, OrganisationInput, VisitInput


class ExtractInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    files = serializers.ListField(child=serializers.FileField(), required=False)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A key to a record the caller may see (others do not exist for them)."""

    def get_queryset(self):
        request = self.context["request"]
        return super().get_queryset().visible_to(request.user)


class LeaderInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="", allow_null=True)
    user = ScopedPrimaryKeyField(
        queryset=User.objects.filter(memberships__role=Role.LEADER).distinct(), required=False, allow_null=True
    )


class OrganisationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    enterprise = ScopedPrimaryKeyField(queryset=Enterprise.objects.all(), required=False, allow_null=True)
    score = serializers.FloatField(required=False, allow_null=True)


class VisitInputSerializer(serializers.Serializer):
    """A reviewed draft: the extractor's keys (title, date, leaders, accompanying, organisations,
    places, topics, requirements) with registry ids where matched."""

    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    date = serializers.DateField()
    jurisdiction = ScopedPrimaryKeyField(queryset=Jurisdiction.objects.all())
    leaders = LeaderInputSerializer(many=True)
    departments = ScopedPrimaryKeyField(queryset=Department.objects.all(), many=True, required=False)
    accompanying = serializers.ListField(child=serializers.CharField(max_length=300), required=False, default=list)
    organisations = OrganisationInputSerializer(many=True, required=False, default=list)
    places = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)
    topics = serializers.ListField(child=serializers.ChoiceField(choices=TOPICS), required=False, default=list)
    requirements = serializers.ListField(child=serializers.CharField(max_length=2000), required=False, default=list)
    difficulties = serializers.ListField(child=serializers.CharField(max_length=2000), required=False, default=list)
    source_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=200_000)
    source_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    language = serializers.CharField(required=False, allow_blank=True, default="", max_length=5)

    def visit_input(self) -> VisitInput:
        d = self.validated_data
        return VisitInput(
            title=d["title"],
            date=d["date"],
            jurisdiction=d["jurisdiction"],
            leaders=[
                LeaderInput(name=x.get("name") or "", title=x.get("title") or "", user=x.get("user"))
                for x in d["leaders"]
            ],
            departments=d.get("departments") or [],
            accompanying=d["accompanying"],
            organisations=[
                OrganisationInput(name=x.get("name") or "", enterprise=x.get("enterprise"), score=x.get("score"))
                for x in d["organisations"]
            ],
            places=d["places"],
            topics=d["topics"],
            requirements=d["requirements"],
            difficulties=d["difficulties"],
            source_text=d["source_text"],
            source_name=d["source_name"],
            language=d["language"],
        )


class TaskInputSerializer(serializers.Serializer):
    deadline = serializers.DateField(required=False)
    departments = ScopedPrimaryKeyField(queryset=Department.objects.all(), many=True, required=False)


class RequirementSerializer(serializers.ModelSerializer):
    task = serializers.SerializerMethodField()

    class Meta:
        model = Requirement
        fields = ["id", "position", "text", "task"]

    def get_task(self, obj) -> dict | None:
        if not obj.task_id:
            return None
        task = obj.task
        return {"id": task.pk, "title": task.title, "deadline": task.deadline, **task.progress()}


class VisitSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="planned_date")
    leaders = serializers.SerializerMethodField()
    organisations = serializers.SerializerMethodField()
    requirements = RequirementSerializer(many=True, read_only=True)
    topics = serializers.SerializerMethodField()
    places = serializers.SerializerMethodField()
    difficulties = serializers.SerializerMethodField()
    accompanying = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "title",
            "date",
            "status",
            "jurisdiction",
            "leaders",
            "leader_names",
            "departments",
            "accompanying",
            "organisations",
            "places",
            "topics",
            "requirements",
            "difficulties",
        ]

    def _report(self, obj):
        try:
            return obj.visit_report
        except Inspection.visit_report.RelatedObjectDoesNotExist:
            return None

    def get_leaders(self, obj) -> list[dict]:
        return [{"id": u.pk, "name": str(u)} for u in obj.leaders.all()]

    def get_organisations(self, obj) -> list[dict]:
        rows = [
            {"name": o.name, "enterprise": o.enterprise_id, "match_score": o.match_score}
            for o in obj.visit_organisations.all()
        ]
        if not rows:
            rows = [{"name": obj.target_name, "enterprise": obj.enterprise_id, "match_score": None}]
        return rows

    def get_topics(self, obj) -> list[str]:
        report = self._report(obj)
        return report.topics if report else []

    def get_places(self, obj) -> list[str]:
        return obj.sites_list()

    def get_difficulties(self, obj) -> list[str]:
        report = self._report(obj)
        return report.difficulties_list() if report else []

    def get_accompanying(self, obj) -> list[str]:
        report = self._report(obj)
        return report.accompanying if report else []
