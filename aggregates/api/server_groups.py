"""API of server groups: listed for every cloud, created on local ones (connected: from Nova)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from aggregates import queries, services
from aggregates.api.base import AdminOnly, ListInCloud, error_responses
from aggregates.choices import GroupPolicy
from aggregates.models import ServerGroup
from dashboard.ranges import NamedRangesSerializer


class ServerGroupSerializer(NamedRangesSerializer, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    rules = serializers.SerializerMethodField(help_text="Nova's rules (2.64+)")
    members = serializers.SerializerMethodField(help_text="server uuids")

    class Meta:
        model = ServerGroup
        fields = ["id", "name", "policy", "rules", "project_id", "members"]
        read_only_fields = fields

    def get_rules(self, group: ServerGroup) -> dict[str, int]:
        limit = group.max_server_per_host
        return {} if limit is None else {"max_server_per_host": limit}

    def get_members(self, group: ServerGroup) -> list[str]:
        return sorted(str(server.uuid) for server in group.members.all())


class ServerGroupCreateSerializer(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False)
    policy = serializers.ChoiceField(choices=GroupPolicy.choices)
    project_id = serializers.CharField(trim_whitespace=False)
    rules = serializers.DictField(
        required=False, child=serializers.IntegerField(), help_text="max_server_per_host only"
    )

    def validate_rules(self, rules: dict) -> dict:
        unknown = sorted(set(rules) - {"max_server_per_host"})
        if unknown:
            raise serializers.ValidationError(f"Unknown rule {unknown[0]} (max_server_per_host).")
        return rules


class ServerGroupList(ListInCloud):
    """Server groups of a cloud: policy, rules and members (admins)."""

    serializer_class = ServerGroupSerializer
    permission_classes = [AdminOnly]
    ordering_fields = ["name"]

    def cloud_rows(self, cloud):
        return queries.server_groups_for_table(cloud)

    @extend_schema(
        request=ServerGroupCreateSerializer,
        responses={201: ServerGroupSerializer, **error_responses(400, 409)},
        description="Create a server group on a local cloud, as Nova's os-server-groups (2.64+).",
    )
    def post(self, request, slug):
        body = ServerGroupCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        group = services.create_server_group(
            self.get_cloud(),
            actor=request.user,
            name=data["name"],
            policy=data["policy"],
            project_id=data["project_id"],
            max_server_per_host=data.get("rules", {}).get("max_server_per_host"),
        )
        fresh = queries.server_groups_for_table(self.get_cloud()).get(pk=group.pk)
        return Response(ServerGroupSerializer(fresh).data, status=status.HTTP_201_CREATED)
