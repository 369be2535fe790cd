"""Serializers of site-wide resources."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from dashboard import audit_changes, permissions


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "email", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(permissions.roles_of(user))


class AuditChangeSerializer(serializers.Serializer):
    """One field's change; a secret's values are withheld (null) and `hidden` is true."""

    field = serializers.CharField(help_text="The snapshot's key; `metadata.<key>` inside a dict.")
    label = serializers.CharField(help_text="The field in words, e.g. 'RAM (MB)'.")
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)
    hidden = serializers.BooleanField(help_text="A secret: only that it was set or changed.")
    summary = serializers.CharField(help_text="'old → new' in words, or 'set'/'changed'/'removed'.")

    def to_representation(self, change: audit_changes.Change) -> dict:
        summary = change.new_text if change.hidden else f"{change.old_text} → {change.new_text}"
        return {
            "field": change.field,
            "label": change.label,
            "old": None if change.hidden else change.old,
            "new": None if change.hidden else change.new,
            "hidden": change.hidden,
            "summary": summary,
        }


class AuditEntrySerializer(serializers.Serializer):
    """An entry as `audit_changes.describe` reads it: the object by kind, name and link."""

    id = serializers.IntegerField(source="entry.id")
    created_at = serializers.DateTimeField(source="entry.created_at")
    actor_name = serializers.CharField(source="entry.actor_name")
    action = serializers.CharField(source="entry.action")
    object_type = serializers.CharField(source="entry.object_type")
    object_id = serializers.CharField(source="entry.object_id")
    object_repr = serializers.CharField(source="entry.object_repr")
    object_kind = serializers.CharField(source="kind", help_text="e.g. 'Flavor'.")
    object_name = serializers.CharField(source="name", help_text="Its name now, or when deleted.")
    object_url = serializers.SerializerMethodField(help_text="Its page; null once deleted.")
    object_exists = serializers.BooleanField(source="exists")
    changes = AuditChangeSerializer(many=True)
    before = serializers.SerializerMethodField(help_text="The snapshot before, secrets hidden.")
    after = serializers.SerializerMethodField(help_text="The snapshot after, secrets hidden.")

    def get_object_url(self, item: audit_changes.DescribedEntry) -> str | None:
        request = self.context.get("request")
        if item.url is None or request is None:
            return item.url
        return request.build_absolute_uri(item.url)

    def get_before(self, item: audit_changes.DescribedEntry) -> dict | None:
        return audit_changes.redacted(item.entry.before)

    def get_after(self, item: audit_changes.DescribedEntry) -> dict | None:
        return audit_changes.redacted(item.entry.after)
