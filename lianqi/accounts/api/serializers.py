from rest_framework import serializers

from ..models import Membership, User


class MembershipSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "role_display", "jurisdiction", "department", "title", "valid_from", "valid_until"]


class UserSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "phone", "language", "memberships"]
        read_only_fields = ["id", "username", "memberships"]
