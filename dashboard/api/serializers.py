"""Serializers of site-wide resources."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from dashboard import permissions
from dashboard.models import AuditEntry


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "email", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(permissions.roles_of(user))


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
        ]
