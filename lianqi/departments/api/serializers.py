from django.utils.translation import gettext as _
from rest_framework import serializers

from lianqi.accounts.choices import Role
from lianqi.core.api.fields import SlugRelatedField
from lianqi.industries.models import Industry
from lianqi.jurisdictions.models import Jurisdiction

from ..models import Department


class DepartmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    sectors = SlugRelatedField(slug_field="code", many=True, queryset=Industry.objects.all(), required=False)
    jurisdiction = serializers.PrimaryKeyRelatedField(queryset=Jurisdiction.objects.all())

    class Meta:
        model = Department
        fields = [
            "id",
            "name_zh",
            "name_en",
            "short_name",
            "kind",
            "kind_display",
            "jurisdiction",
            "sectors",
            "is_active",
        ]
        read_only_fields = ["id", "kind_display"]

    def validate_jurisdiction(self, node):
        access = self.context["request"].user.access
        if access.is_admin:
            return node
        if not any(node.path.startswith(p) for p in access.jurisdiction_paths(roles=[Role.OFFICE])):
            raise serializers.ValidationError(
                _("You may only place departments in a jurisdiction where you run the command office."),
                code="out_of_scope",
            )
        return node
