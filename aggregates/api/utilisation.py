"""REST API of utilisation (cloud admins): rollups per level, history of one series, and
capacity in flavor slots. Query parameters pass a serializer, so a bad one is a 400 naming it."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aggregates import utilisation
from aggregates.api.base import AdminOnly, CloudScoped, error_responses
from aggregates.choices import Level
from aggregates.models import Flavor, UtilisationSample
from aggregates.models.utilisation import AMOUNTS
from aggregates.queries import page_cache
from aggregates.utilisation import LEVELS, RESOLUTIONS
from dashboard.errors import DomainError


class RollupSerializer(serializers.Serializer):
    level = serializers.CharField()
    name = serializers.CharField()
    vcpus_used = serializers.IntegerField()
    vcpus_capacity = serializers.IntegerField(help_text="(total − reserved) × allocation ratio")
    memory_mb_used = serializers.IntegerField()
    memory_mb_capacity = serializers.IntegerField()
    local_gb_used = serializers.IntegerField()
    local_gb_capacity = serializers.IntegerField()
    running_vms = serializers.IntegerField()

    def to_representation(self, instance):
        return {"level": self.context["level"], **{k: instance[k] for k in ("name", *AMOUNTS)}}


class LevelQuery(serializers.Serializer):
    level = serializers.ChoiceField(choices=list(LEVELS), default="host")


class HistoryQuery(serializers.Serializer):
    level = serializers.ChoiceField(choices=list(LEVELS))
    name = serializers.CharField(max_length=255, required=False)
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    resolution = serializers.ChoiceField(choices=list(RESOLUTIONS), required=False)

    def validate(self, attrs):
        if attrs["level"] != "cloud" and not attrs.get("name"):
            raise serializers.ValidationError({"name": "Required unless level is cloud."})
        if attrs.get("start") and attrs.get("end") and attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "The end must be after the start."})
        return attrs


class HistoryPointSerializer(serializers.Serializer):
    """One sample row: means over `samples` readings (raw rows: one reading)."""

    ts = serializers.DateTimeField()
    resolution = serializers.ChoiceField(choices=list(RESOLUTIONS))
    samples = serializers.IntegerField()
    vcpus_used = serializers.FloatField()
    vcpus_capacity = serializers.FloatField()
    memory_mb_used = serializers.FloatField()
    memory_mb_capacity = serializers.FloatField()
    local_gb_used = serializers.FloatField()
    local_gb_capacity = serializers.FloatField()
    running_vms = serializers.FloatField()

    def to_representation(self, instance):
        point = next(utilisation.history([instance]))
        return super().to_representation(point.as_dict())


class SlotsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_availability_zone = serializers.DictField(child=serializers.IntegerField())
    by_aggregate = serializers.DictField(child=serializers.IntegerField())
    by_host = serializers.DictField(child=serializers.IntegerField())


class CapacitySerializer(serializers.Serializer):
    flavor = serializers.CharField(help_text="Nova's flavor id")
    slots = SlotsSerializer()


class FlavorQuery(serializers.Serializer):
    flavor = serializers.CharField(max_length=255)


def _query(serializer_class, request):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class UtilisationList(CloudScoped, generics.ListAPIView):
    """Used and capacity of vCPU, RAM and disk, and instances, per host, aggregate, zone or cloud.

    capacity = (total − reserved) × allocation_ratio per host (floored), summed; used is what
    Placement counts as allocated, never the reserved amounts.
    """

    serializer_class = RollupSerializer
    permission_classes = [AdminOnly]
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("level", enum=list(LEVELS), default="host", description="rows of")
        ],
        responses={200: RollupSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["level"] = _query(LevelQuery, self.request)["level"]
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UtilisationSample.objects.none()
        level = LEVELS[_query(LevelQuery, self.request)["level"]]
        return utilisation.rollup_rows(self.get_cloud(), level)


class UtilisationHistory(CloudScoped, generics.ListAPIView):
    """Samples of one series, oldest first: raw for 2 days, hourly means for 30, daily for a
    year (every resolution unless `resolution` asks for one)."""

    serializer_class = HistoryPointSerializer
    permission_classes = [AdminOnly]
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("level", enum=list(LEVELS), required=True),
            OpenApiParameter("name", str, description="required unless level=cloud"),
            OpenApiParameter("start", str, description="ISO 8601 date-time, inclusive"),
            OpenApiParameter("end", str, description="ISO 8601 date-time, exclusive"),
            OpenApiParameter("resolution", enum=list(RESOLUTIONS)),
        ],
        responses={200: HistoryPointSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UtilisationSample.objects.none()
        query = _query(HistoryQuery, self.request)
        cloud = self.get_cloud()
        level = LEVELS[query["level"]]
        name = cloud.name if level == Level.CLOUD else query["name"]
        resolution = RESOLUTIONS.get(query.get("resolution") or "")
        return utilisation.history_rows(
            cloud,
            level,
            name,
            start=query.get("start"),
            end=query.get("end"),
            resolution=resolution,
        )


class CloudCapacity(CloudScoped, APIView):
    """Instances of a flavor that still fit, as the placement preview counts them."""

    permission_classes = [AdminOnly]

    @extend_schema(
        parameters=[OpenApiParameter("flavor", str, required=True, description="flavor id")],
        responses={200: CapacitySerializer, **error_responses(400, 403, 404)},
    )
    def get(self, request, slug):
        flavor_id = _query(FlavorQuery, request)["flavor"]
        cloud = self.get_cloud()
        flavor = Flavor.objects.filter(cloud=cloud, flavor_id=flavor_id).first()
        if flavor is None:
            raise DomainError(f"No flavor with id {flavor_id!r} in this cloud.", field="flavor")
        return Response(page_cache.flavor_slots(cloud, flavor).as_dict())
