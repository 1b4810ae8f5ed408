from rest_framework import serializers

from lianqi.enterprises.models import Enterprise

from ..choices import Material, QualityResult
from ..models import DailyReport, MaterialReport
from ..services import FIGURES


class DailyReportSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)

    class Meta:
        model = DailyReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "date",
            "channel",
            "channel_display",
            "submitted_at",
            "late",
            "revisions",
            *FIGURES,
            "difficulties",
            "appeal_reference",
        ]
        read_only_fields = fields


class DailyReportWriteSerializer(serializers.ModelSerializer):
    """A report as an enterprise (or its system) sends it; posting again for the same day corrects it."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    date = serializers.DateField(required=False, help_text="Defaults to today (figures as of the previous 24:00).")
    confirmed = serializers.BooleanField(
        required=False, default=False, help_text="Send again with true after a `confirm_jump` error."
    )

    class Meta:
        model = DailyReport
        fields = ["enterprise", "date", "confirmed", *FIGURES, "difficulties"]
        extra_kwargs = {"capacity_pct": {"validators": []}}
        validators = []  # the service checks the constraints (and explains them)


class MaterialReportSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = MaterialReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "date",
            "material",
            "capacity",
            "output",
            "stock",
            "shortfall",
            "quality",
            "quality_note",
            "appeal_reference",
        ]
        read_only_fields = ["id", "enterprise_name", "appeal_reference"]
        validators = []

    material = serializers.ChoiceField(choices=Material.choices)
    quality = serializers.ChoiceField(choices=QualityResult.choices, required=False, allow_blank=True)
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    date = serializers.DateField(required=False)


class RatesSerializer(serializers.Serializer):
    tracked = serializers.IntegerField()
    reported = serializers.IntegerField()
    on_time = serializers.IntegerField()
    resumed = serializers.IntegerField()
    staff_total = serializers.IntegerField()
    staff_on_post = serializers.IntegerField()
    resumption_rate = serializers.FloatField(allow_null=True)
    staff_return_rate = serializers.FloatField(allow_null=True)
    capacity_mean = serializers.FloatField(allow_null=True)
    capacity_weighted = serializers.FloatField(allow_null=True)
    staffed_90_share = serializers.FloatField(allow_null=True)
    capacity_80_share = serializers.FloatField(allow_null=True)
    key_resumption_rate = serializers.FloatField(allow_null=True)
    reporting_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)


class GroupRatesSerializer(RatesSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class ResumptionStatsSerializer(serializers.Serializer):
    jurisdiction = serializers.IntegerField()
    jurisdiction_name = serializers.CharField()
    date_from = serializers.DateField(source="from")
    date_to = serializers.DateField(source="to")
    by = serializers.CharField(allow_null=True)
    total = RatesSerializer()
    groups = GroupRatesSerializer(many=True)
    definitions = serializers.DictField(child=serializers.CharField())
