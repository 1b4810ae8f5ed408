from rest_framework import serializers

from ..models import Jurisdiction


class JurisdictionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Jurisdiction
        fields = ["id", "code", "name_zh", "name_en", "level", "level_display", "parent", "path"]
        read_only_fields = fields
