"""Serializers of the resource-segregation API: Nova's field names, read from prefetched rows.

Request serializers check only shape and types; the rules (and Nova's messages) live in services.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aggregates import queries
from aggregates.choices import CloudKind
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server
from aggregates.scheduling import extra_spec_warnings


def column_limit(model, name: str) -> int:
    """The column's max_length, so a request serializer refuses what the database would."""
    return model._meta.get_field(name).max_length


class CloudSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cloud
        fields = [
            "slug",
            "name",
            "region",
            "kind",
            "os_cloud",
            "default_availability_zone",
            "last_sync_at",
            "last_sync_status",
            "last_sync_error",
        ]
        read_only_fields = fields


class CloudCreateSerializer(serializers.Serializer):
    slug = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True, trim_whitespace=False)
    kind = serializers.ChoiceField(choices=CloudKind.choices, default=CloudKind.LOCAL)
    region = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=column_limit(Cloud, "region")
    )
    os_cloud = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=column_limit(Cloud, "os_cloud")
    )
    default_availability_zone = serializers.CharField(
        required=False, default="nova", trim_whitespace=False
    )


class CloudUpdateSerializer(serializers.Serializer):
    """PATCH a cloud: any of these; its slug (its address) and kind stay."""

    name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=column_limit(Cloud, "region")
    )
    default_availability_zone = serializers.CharField(required=False, trim_whitespace=False)


class HostSerializer(serializers.ModelSerializer):
    availability_zone = serializers.SerializerMethodField()
    aggregates = serializers.SerializerMethodField()

    class Meta:
        model = Host
        fields = [
            "name",
            "hypervisor_hostname",
            "hypervisor_type",
            "vcpus",
            "memory_mb",
            "local_gb",
            "vcpus_used",
            "memory_mb_used",
            "local_gb_used",
            "running_vms",
            "cpu_allocation_ratio",
            "ram_allocation_ratio",
            "disk_allocation_ratio",
            "reserved_host_cpus",
            "reserved_host_memory_mb",
            "reserved_host_disk_mb",
            "status",
            "disabled_reason",
            "state",
            "last_seen_at",
            "availability_zone",
            "aggregates",
        ]
        read_only_fields = fields

    def get_availability_zone(self, host: Host) -> str:
        return queries.zone_of(host)  # prefetched aggregates: no query

    def get_aggregates(self, host: Host) -> list[str]:
        return [aggregate.name for aggregate in host.aggregates.all()]


class HostUsageAndRatios(serializers.Serializer):
    """The optional numbers of a host (unset on create: the cloud's settings)."""

    vcpus_used = serializers.IntegerField(required=False)
    memory_mb_used = serializers.IntegerField(required=False)
    local_gb_used = serializers.IntegerField(required=False)
    running_vms = serializers.IntegerField(required=False)
    reserved_host_cpus = serializers.IntegerField(required=False)
    reserved_host_memory_mb = serializers.IntegerField(required=False)
    reserved_host_disk_mb = serializers.IntegerField(required=False)
    cpu_allocation_ratio = serializers.FloatField(required=False)
    ram_allocation_ratio = serializers.FloatField(required=False)
    disk_allocation_ratio = serializers.FloatField(required=False)


class HostCreateSerializer(HostUsageAndRatios):
    name = serializers.CharField(allow_blank=True, trim_whitespace=False)
    vcpus = serializers.IntegerField()
    memory_mb = serializers.IntegerField()
    local_gb = serializers.IntegerField()
    hypervisor_hostname = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=column_limit(Host, "hypervisor_hostname"),
    )
    hypervisor_type = serializers.CharField(
        required=False, default="QEMU", max_length=column_limit(Host, "hypervisor_type")
    )


class HostUpdateSerializer(HostUsageAndRatios):
    """PATCH a host. `status`/`disabled_reason` as Nova's PUT /os-services/{id} (2.53+), on
    any cloud; the other fields only on a local cloud (a connected one's come from Nova)."""

    status = serializers.ChoiceField(choices=["enabled", "disabled"], required=False)
    disabled_reason = serializers.CharField(
        required=False, min_length=1, max_length=255, trim_whitespace=False
    )
    name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    vcpus = serializers.IntegerField(required=False)
    memory_mb = serializers.IntegerField(required=False)
    local_gb = serializers.IntegerField(required=False)

    def validate(self, attrs):
        if "disabled_reason" in attrs and attrs.get("status") != "disabled":
            message = (
                "Specifying 'disabled_reason' with status 'enabled' is invalid."
                if attrs.get("status") == "enabled"
                else "'disabled_reason' goes with status 'disabled'."
            )
            raise serializers.ValidationError({"disabled_reason": message})
        if not attrs:
            raise serializers.ValidationError({"status": "No updates were requested."})
        return attrs


class AggregateSerializer(serializers.ModelSerializer):
    """An aggregate as Nova shows it: the zone both as its own field and inside the metadata."""

    availability_zone = serializers.CharField(read_only=True, allow_null=True)
    hosts = serializers.SerializerMethodField()

    class Meta:
        model = Aggregate
        fields = [
            "id",
            "name",
            "availability_zone",
            "hosts",
            "metadata",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_hosts(self, aggregate: Aggregate) -> list[str]:
        return aggregate.host_names  # queries.with_host_names: one query per page


class AggregateCreateSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, trim_whitespace=False)
    availability_zone = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False, default=None
    )


class AggregateUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    availability_zone = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False
    )

    def validate(self, attrs):
        unknown = set(self.initial_data) - {"name", "availability_zone"}
        if unknown:
            raise serializers.ValidationError(
                f"Only 'name' and 'availability_zone' can change, not {', '.join(sorted(unknown))}."
            )
        if not attrs:
            raise serializers.ValidationError("Give 'name' and/or 'availability_zone'.")
        return attrs


class HostRefSerializer(serializers.Serializer):
    host = serializers.CharField(trim_whitespace=False)


class MetadataSerializer(serializers.Serializer):
    metadata = serializers.JSONField(help_text="key → string; null deletes the key")


class AggregateActionSerializer(serializers.Serializer):
    """Exactly one of Nova's three actions."""

    add_host = HostRefSerializer(required=False)
    remove_host = HostRefSerializer(required=False)
    set_metadata = MetadataSerializer(required=False)

    def validate(self, attrs):
        if len(self.initial_data) != 1 or len(attrs) != 1:
            raise serializers.ValidationError(
                "Give exactly one action: add_host, remove_host or set_metadata."
            )
        return attrs


class ZoneStateSerializer(serializers.Serializer):
    available = serializers.BooleanField()


class ZoneSerializer(serializers.Serializer):
    zoneName = serializers.CharField(source="name")  # noqa: N815 - Nova's key
    zoneState = serializers.SerializerMethodField()  # noqa: N815 - Nova's key
    hosts = serializers.SerializerMethodField()

    def get_zoneState(self, zone) -> dict:  # noqa: N802
        return {"available": zone.available}

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_hosts(self, zone) -> None:
        return None  # the summary list never shows hosts (Nova)


class ZoneListSerializer(serializers.Serializer):
    availabilityZoneInfo = ZoneSerializer(many=True)  # noqa: N815 - Nova's key


class FlavorSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="flavor_id", read_only=True)
    warnings = serializers.SerializerMethodField(
        help_text="the flavor lint: extra specs Nova stores but reads differently than they look"
    )

    class Meta:
        model = Flavor
        fields = [
            "id",
            "name",
            "vcpus",
            "ram",
            "disk",
            "ephemeral",
            "swap",
            "rxtx_factor",
            "is_public",
            "disabled",
            "description",
            "extra_specs",
            "warnings",
        ]
        read_only_fields = fields

    def get_warnings(self, flavor: Flavor) -> list[str]:
        return extra_spec_warnings(flavor.extra_specs or {})


class FlavorCreateSerializer(serializers.Serializer):
    id = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False
    )
    name = serializers.CharField(allow_blank=True, trim_whitespace=False)
    vcpus = serializers.IntegerField()
    ram = serializers.IntegerField()
    disk = serializers.IntegerField(required=False, default=0)
    ephemeral = serializers.IntegerField(required=False, default=0)
    swap = serializers.IntegerField(required=False, default=0)
    rxtx_factor = serializers.FloatField(required=False, default=1.0)
    is_public = serializers.BooleanField(required=False, default=True)
    description = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, default="", trim_whitespace=False
    )


class FlavorUpdateSerializer(serializers.Serializer):
    description = serializers.CharField(allow_null=True, allow_blank=True, trim_whitespace=False)


class ExtraSpecsSerializer(serializers.Serializer):
    extra_specs = serializers.JSONField(help_text="key → string value")


class FlavorAccessEntrySerializer(serializers.Serializer):
    flavor_id = serializers.CharField()
    tenant_id = serializers.CharField()


class FlavorAccessListSerializer(serializers.Serializer):
    flavor_access = FlavorAccessEntrySerializer(many=True)


class TenantSerializer(serializers.Serializer):
    tenant = serializers.CharField(trim_whitespace=False)


class ServerSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    # A server may have no host (ERROR before scheduling), no flavor mirrored, no group: null.
    host = serializers.CharField(source="host.name", default=None, allow_null=True, read_only=True)
    flavor_id = serializers.CharField(
        source="flavor.flavor_id", default=None, allow_null=True, read_only=True
    )
    server_group = serializers.UUIDField(
        source="server_group.uuid", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Server
        fields = [
            "id",
            "name",
            "status",
            "host",
            "flavor_id",
            "flavor_name",
            "project_id",
            "availability_zone",
            "server_group",
        ]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorListSerializer(serializers.Serializer):
    """Every 4xx of the API: `{"errors": [{"field", "message"}]}`."""

    errors = ErrorSerializer(many=True)
