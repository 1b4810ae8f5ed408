from rest_framework import serializers

from ..models import Draw, SpotCheckPlan, SpotCheckTarget


class TargetSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SpotCheckTarget
        fields = [
            "id",
            "position",
            "enterprise",
            "enterprise_name",
            "credit_code",
            "stratum",
            "inspectors",
            "inspection",
            "checked_on",
            "result",
            "handling",
            "published_at",
        ]
        read_only_fields = fields


class DrawSerializer(serializers.ModelSerializer):
    class Meta:
        model = Draw
        fields = ["algorithm", "seed", "inputs", "result", "drawn_at"]
        read_only_fields = fields


class SpotCheckPlanSerializer(serializers.ModelSerializer):
    draw = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = SpotCheckPlan
        fields = [
            "id",
            "name",
            "batch",
            "jurisdiction",
            "department",
            "items",
            "mode",
            "industry_prefix",
            "key_only",
            "hazardous_chemicals_only",
            "risk_tiers",
            "ratio",
            "count",
            "inspectors_per_target",
            "stratify",
            "period_start",
            "period_end",
            "status",
            "published_at",
            "draw",
            "targets",
        ]
        read_only_fields = ["id", "status", "published_at", "draw", "targets"]

    def get_draw(self, plan) -> dict | None:
        record = Draw.objects.filter(plan=plan).first()
        return DrawSerializer(record).data if record else None

    def validate(self, data):
        from django.core.exceptions import ValidationError

        from ..forms import PlanForm

        instance = SpotCheckPlan(**{k: v for k, v in data.items() if k != "items"})
        try:
            instance.full_clean(exclude=["created_by"], validate_unique=False)
        except ValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        request = self.context["request"]
        form = PlanForm(user=request.user)
        if not form.fields["jurisdiction"].queryset.filter(pk=data["jurisdiction"].pk).exists():
            raise serializers.ValidationError({"jurisdiction": ["You run the command office of another jurisdiction."]})
        return data


class DrawInputSerializer(serializers.Serializer):
    seed = serializers.CharField(max_length=64, required=False, allow_blank=True)
