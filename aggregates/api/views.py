"""REST API of clouds, hosts, aggregates, zones, flavors and servers (Nova-like shapes).

Views check shape with a serializer, then call the same query or service as the pages; a
DomainError becomes its status with Nova's message (dashboard/api/exceptions.py).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aggregates import queries, services
from aggregates.api import serializers as s
from aggregates.api.base import (
    AdminOnly,
    CloudScoped,
    ListInCloud,
    MembersReadAdminsWrite,
    error_responses,
)
from aggregates.filters import AggregateFilter, FlavorFilter, HostFilter, ServerFilter
from aggregates.models import Aggregate, Flavor, Host
from dashboard import permissions
from dashboard.errors import NotFound


class CloudList(generics.ListAPIView):
    """Clouds: every signed-in user may list them; admins create them."""

    serializer_class = s.CloudSerializer
    permission_classes = [MembersReadAdminsWrite]
    ordering_fields = ["name", "slug"]

    def get_queryset(self):
        return queries.clouds_for(self.request.user)

    @extend_schema(
        request=s.CloudCreateSerializer,
        responses={201: s.CloudSerializer, **error_responses(400, 409)},
    )
    def post(self, request):
        body = s.CloudCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cloud = services.create_cloud(actor=request.user, **body.validated_data)
        return Response(s.CloudSerializer(cloud).data, status=status.HTTP_201_CREATED)


class CloudDetail(CloudScoped, APIView):
    permission_classes = [MembersReadAdminsWrite]

    @extend_schema(responses={200: s.CloudSerializer, **error_responses(404)})
    def get(self, request, slug):
        return Response(s.CloudSerializer(self.get_cloud()).data)

    @extend_schema(
        request=s.CloudUpdateSerializer,
        responses={200: s.CloudSerializer, **error_responses(400, 403, 404)},
        description="Change a cloud's name, region or default availability zone.",
    )
    def patch(self, request, slug):
        cloud = self.get_cloud()
        body = s.CloudUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.update_cloud(cloud, actor=request.user, **body.validated_data)
        return Response(s.CloudSerializer(cloud).data)

    @extend_schema(
        responses={204: None, **error_responses(403, 404)},
        description="Delete the cloud with its hosts, aggregates, flavors, servers, sync runs "
        "and utilisation history. A connected cloud's compute API is not touched.",
    )
    def delete(self, request, slug):
        services.delete_cloud(self.get_cloud(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HostList(ListInCloud):
    """Compute hosts of a cloud (admins only); POST adds one to a local cloud."""

    serializer_class = s.HostSerializer
    permission_classes = [AdminOnly]
    filterset_class = HostFilter
    ordering_fields = ["name", "vcpus", "memory_mb", "local_gb", "running_vms", "status"]

    def cloud_rows(self, cloud):
        return queries.hosts_for_table(cloud)

    @extend_schema(
        request=s.HostCreateSerializer,
        responses={201: s.HostSerializer, **error_responses(400, 409)},
    )
    def post(self, request, slug):
        body = s.HostCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        options = {k: v for k, v in body.validated_data.items() if v is not None}
        host = services.create_host(self.get_cloud(), actor=request.user, **options)
        host = queries.hosts_for_table(self.get_cloud()).get(pk=host.pk)
        return Response(s.HostSerializer(host).data, status=status.HTTP_201_CREATED)


class HostDetail(CloudScoped, APIView):
    permission_classes = [AdminOnly]

    def get_host(self, name: str) -> Host:
        return get_object_or_404(queries.hosts_for_table(self.get_cloud()), name=name)

    @extend_schema(responses={200: s.HostSerializer, **error_responses(403, 404)})
    def get(self, request, slug, name):
        return Response(s.HostSerializer(self.get_host(name)).data)

    @extend_schema(
        request=s.HostUpdateSerializer,
        responses={200: s.HostSerializer, **error_responses(400, 403, 404, 409)},
        description="Disable or enable the compute service as Nova's PUT /os-services/{id} "
        '(2.53+): `{"status": "disabled", "disabled_reason": "maintenance"}` (the reason is '
        "optional, 1-255 characters, and only with `disabled`); a connected cloud's compute "
        "API decides first. On a local cloud also the host's name, totals, usage, reserved "
        "amounts and allocation ratios (409 on a connected cloud).",
    )
    def patch(self, request, slug, name):
        host = self.get_host(name)
        body = s.HostUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        new_status = changes.pop("status", None)
        reason = changes.pop("disabled_reason", "")
        if changes:
            host = services.update_host(host, actor=request.user, **changes)
        if new_status is not None:
            services.set_host_status(
                host, enabled=new_status == "enabled", disabled_reason=reason, actor=request.user
            )
        return Response(s.HostSerializer(self.get_host(host.name)).data)

    @extend_schema(
        responses={204: None, **error_responses(403, 404, 409)},
        description="Delete a local cloud's host, leaving its aggregates; 409 while it hosts "
        "instances (as Nova) or on a connected cloud.",
    )
    def delete(self, request, slug, name):
        services.delete_host(self.get_host(name), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AggregateList(ListInCloud):
    """Host aggregates of a cloud (admins only, as in Nova)."""

    serializer_class = s.AggregateSerializer
    permission_classes = [AdminOnly]
    filterset_class = AggregateFilter
    ordering_fields = ["name", "created_at"]

    def cloud_rows(self, cloud):
        return queries.aggregates_for_table(cloud)

    def paginate_queryset(self, queryset):
        return queries.with_host_names(super().paginate_queryset(queryset))

    @extend_schema(
        request=s.AggregateCreateSerializer,
        responses={201: s.AggregateSerializer, **error_responses(400, 409)},
        description="Create an aggregate; with `availability_zone` it *is* that zone. "
        "409 `Aggregate <name> already exists.`",
    )
    def post(self, request, slug):
        body = s.AggregateCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        aggregate = services.create_aggregate(
            self.get_cloud(), actor=request.user, **body.validated_data
        )
        return Response(self._read(aggregate), status=status.HTTP_201_CREATED)

    def _read(self, aggregate: Aggregate) -> dict:
        fresh = queries.aggregates_for_table(self.get_cloud()).get(pk=aggregate.pk)
        return s.AggregateSerializer(queries.with_host_names([fresh])[0]).data


class AggregateDetail(CloudScoped, APIView):
    permission_classes = [AdminOnly]

    def get_aggregate(self) -> Aggregate:
        return get_object_or_404(
            queries.aggregates_for_table(self.get_cloud()), pk=self.kwargs["pk"]
        )

    def _read(self, aggregate: Aggregate) -> Response:
        fresh = queries.aggregates_for_table(self.get_cloud()).get(pk=aggregate.pk)
        return Response(s.AggregateSerializer(queries.with_host_names([fresh])[0]).data)

    @extend_schema(responses={200: s.AggregateSerializer, **error_responses(403, 404)})
    def get(self, request, slug, pk):
        return self._read(self.get_aggregate())

    @extend_schema(
        request=s.AggregateUpdateSerializer,
        responses={200: s.AggregateSerializer, **error_responses(400, 404, 409)},
        description="Rename and/or change the zone. A zone can be changed, never removed (400); "
        "like Nova, a rename is saved even when the zone change is then refused.",
    )
    def put(self, request, slug, pk):
        aggregate = self.get_aggregate()
        body = s.AggregateUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.update_aggregate(aggregate, actor=request.user, **body.validated_data)
        return self._read(aggregate)

    @extend_schema(
        request=s.AggregateUpdateSerializer,
        responses={200: s.AggregateSerializer, **error_responses(400, 404, 409)},
    )
    def patch(self, request, slug, pk):
        return self.put(request, slug, pk)

    @extend_schema(responses={204: None, **error_responses(400, 404)})
    def delete(self, request, slug, pk):
        services.delete_aggregate(self.get_aggregate(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AggregateAction(AggregateDetail):
    """Nova's `POST /os-aggregates/{id}/action`: add_host, remove_host or set_metadata."""

    http_method_names = ["post", "options"]

    @extend_schema(
        request=s.AggregateActionSerializer,
        responses={200: s.AggregateSerializer, **error_responses(400, 404, 409)},
        description='`{"add_host": {"host": "devstack"}}` (404 unknown host; 409 when the host '
        'is already in another zone), `{"remove_host": {"host": …}}`, '
        '`{"set_metadata": {"metadata": {"k": "v", "gone": null}}}` (merge; null deletes).',
    )
    def post(self, request, slug, pk):
        aggregate = self.get_aggregate()
        body = s.AggregateActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ((action, payload),) = body.validated_data.items()
        if action == "add_host":
            services.add_host_to_aggregate(aggregate, payload["host"], actor=request.user)
        elif action == "remove_host":
            services.remove_host_from_aggregate(aggregate, payload["host"], actor=request.user)
        else:
            services.set_aggregate_metadata(aggregate, payload["metadata"], actor=request.user)
        return self._read(aggregate)


class ZoneList(CloudScoped, APIView):
    """Availability zones (names and whether available), for every signed-in user."""

    permission_classes = [permissions.api_permission(permissions.is_signed_in)]

    @extend_schema(responses={200: s.ZoneListSerializer, **error_responses(404)})
    def get(self, request, slug):
        zones = queries.availability_zones(self.get_cloud())
        return Response(s.ZoneListSerializer({"availabilityZoneInfo": zones}).data)


class FlavorList(ListInCloud):
    """Flavors: admins see all; members the enabled public ones. Admins create them."""

    serializer_class = s.FlavorSerializer
    permission_classes = [MembersReadAdminsWrite]
    filterset_class = FlavorFilter
    ordering_fields = ["name", "ram", "vcpus", "disk"]

    def cloud_rows(self, cloud):
        return queries.flavors_for(self.request.user, cloud)

    @extend_schema(
        request=s.FlavorCreateSerializer,
        responses={201: s.FlavorSerializer, **error_responses(400, 409)},
    )
    def post(self, request, slug):
        body = s.FlavorCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        flavor = services.create_flavor(
            self.get_cloud(), actor=request.user, flavor_id=values.pop("id", None), **values
        )
        return Response(s.FlavorSerializer(flavor).data, status=status.HTTP_201_CREATED)


class FlavorScoped(CloudScoped):
    def get_flavor(self) -> Flavor:
        flavors = queries.flavors_for(self.request.user, self.get_cloud())
        return get_object_or_404(flavors, flavor_id=self.kwargs["flavor_id"])


class FlavorDetail(FlavorScoped, APIView):
    permission_classes = [MembersReadAdminsWrite]

    @extend_schema(responses={200: s.FlavorSerializer, **error_responses(404)})
    def get(self, request, slug, flavor_id):
        return Response(s.FlavorSerializer(self.get_flavor()).data)

    @extend_schema(
        request=s.FlavorUpdateSerializer,
        responses={200: s.FlavorSerializer, **error_responses(400, 404)},
        description="Only the description of a flavor can change (Nova).",
    )
    def put(self, request, slug, flavor_id):
        flavor = self.get_flavor()
        body = s.FlavorUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.update_flavor(flavor, actor=request.user, **body.validated_data)
        return Response(s.FlavorSerializer(flavor).data)

    @extend_schema(responses={204: None, **error_responses(404)})
    def delete(self, request, slug, flavor_id):
        services.delete_flavor(self.get_flavor(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExtraSpecList(FlavorScoped, APIView):
    permission_classes = [MembersReadAdminsWrite]

    @extend_schema(responses={200: s.ExtraSpecsSerializer, **error_responses(404)})
    def get(self, request, slug, flavor_id):
        return Response({"extra_specs": self.get_flavor().extra_specs})

    @extend_schema(
        request=s.ExtraSpecsSerializer,
        responses={200: s.ExtraSpecsSerializer, **error_responses(400, 404)},
        description="Merge extra specs. Keys in Nova's namespaces must be known keys (2.86+); "
        "values read by the aggregate filters must be valid operator expressions.",
    )
    def post(self, request, slug, flavor_id):
        flavor = self.get_flavor()
        body = s.ExtraSpecsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.set_flavor_extra_specs(
            flavor, body.validated_data["extra_specs"], actor=request.user
        )
        return Response({"extra_specs": flavor.extra_specs})


class ExtraSpecDetail(FlavorScoped, APIView):
    permission_classes = [MembersReadAdminsWrite]

    def _value(self, flavor: Flavor, key: str) -> dict:
        if key not in flavor.extra_specs:
            raise NotFound(
                f"Flavor {flavor.flavor_id} has no extra specs with key {key}.", field="key"
            )
        return {key: flavor.extra_specs[key]}

    @extend_schema(
        operation_id="flavor_extra_spec_show", responses={200: dict, **error_responses(404)}
    )
    def get(self, request, slug, flavor_id, key):
        return Response(self._value(self.get_flavor(), key))

    @extend_schema(
        request=dict,
        responses={200: dict, **error_responses(400, 404)},
        description='Body `{"<key>": "<value>"}` with exactly the key of the URL.',
    )
    def put(self, request, slug, flavor_id, key):
        flavor = self.get_flavor()
        if not isinstance(request.data, dict) or list(request.data) != [key]:
            return Response(
                {"errors": [{"field": key, "message": "Request body and URI mismatch"}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.set_flavor_extra_specs(flavor, {key: request.data[key]}, actor=request.user)
        return Response(self._value(flavor, key))

    @extend_schema(responses={204: None, **error_responses(404)})
    def delete(self, request, slug, flavor_id, key):
        services.delete_flavor_extra_spec(self.get_flavor(), key, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FlavorAccessList(FlavorScoped, APIView):
    """Projects that may use a private flavor (admins)."""

    permission_classes = [AdminOnly]

    def _read(self, flavor: Flavor) -> Response:
        entries = [
            {"flavor_id": flavor.flavor_id, "tenant_id": p} for p in flavor.access_project_ids
        ]
        return Response({"flavor_access": entries})

    @extend_schema(responses={200: s.FlavorAccessListSerializer, **error_responses(403, 404)})
    def get(self, request, slug, flavor_id):
        flavor = self.get_flavor()
        if flavor.is_public:
            raise NotFound("Access list not available for public flavors.")
        return self._read(flavor)

    @extend_schema(
        request=s.TenantSerializer,
        responses={200: s.FlavorAccessListSerializer, **error_responses(400, 404, 409)},
        description="Nova's addTenantAccess: 409 on a public flavor or a project already listed.",
    )
    def post(self, request, slug, flavor_id):
        flavor = self.get_flavor()
        body = s.TenantSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_flavor_access(flavor, body.validated_data["tenant"], actor=request.user)
        return self._read(flavor)


class FlavorAccessDetail(FlavorAccessList):
    http_method_names = ["delete", "options"]

    @extend_schema(responses={200: s.FlavorAccessListSerializer, **error_responses(404)})
    def delete(self, request, slug, flavor_id, tenant):
        flavor = self.get_flavor()
        services.remove_flavor_access(flavor, tenant, actor=request.user)
        return self._read(flavor)


class ServerList(ListInCloud):
    """Instances with their host (admins), for per-host counts and placement hints."""

    serializer_class = s.ServerSerializer
    permission_classes = [AdminOnly]
    filterset_class = ServerFilter
    ordering_fields = ["name", "status"]

    def cloud_rows(self, cloud):
        return queries.servers_for_table(cloud)
