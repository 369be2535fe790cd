"""API of a cloud's scheduler configuration and its placement preview (with what-if and apply)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aggregates import preview, services
from aggregates.api import preview_json, preview_views
from aggregates.api.base import CloudScoped
from aggregates.api.preview_views import PreviewViewSerializer
from aggregates.api.serializers import ErrorListSerializer
from aggregates.preview.loader import scheduler_config, scheduler_options
from dashboard import permissions

AdminsOnly = permissions.api_permission(permissions.can_preview_placement)
ERRORS = {
    code: OpenApiResponse(response=ErrorListSerializer, description=description)
    for code, description in (
        (400, 'Bad request: {"errors": [{"field", "message"}]} naming the field'),
        (403, "Not a cloud admin"),
        (404, "Unknown cloud"),
        (409, "A change Nova refuses (apply)"),
    )
}


class StepSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Placement, a pre-filter name, or a filter class")
    passed = serializers.BooleanField()
    reason = serializers.CharField()


class HostVerdictSerializer(serializers.Serializer):
    host = serializers.CharField()
    passed = serializers.BooleanField()
    failed_filter = serializers.CharField(
        allow_null=True, help_text="Nova's name of the first step that rejects the host"
    )
    reason = serializers.CharField()
    filters = StepSerializer(many=True, help_text="Every step, in Nova's order")
    weight = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    slots = serializers.IntegerField(
        allow_null=True, help_text="Further instances of the flavor that fit"
    )


class SummarySerializer(serializers.Serializer):
    hosts = serializers.IntegerField()
    candidates = serializers.IntegerField()
    rejected_by = serializers.DictField(child=serializers.IntegerField())
    failing = serializers.DictField(child=serializers.IntegerField())
    total_slots = serializers.IntegerField()
    cap_applied = serializers.BooleanField(help_text="max_placement_results cuts candidates")
    placement_candidates = serializers.IntegerField()
    possibly_cut = serializers.ListField(child=serializers.CharField())
    best_hosts = serializers.ListField(child=serializers.CharField())
    steps = serializers.ListField(child=serializers.CharField())
    request_error = serializers.CharField(allow_null=True)
    zone = serializers.DictField(
        allow_null=True,
        help_text="The requested zone's two steps: Nova's API check at boot (a refusal is "
        "status 400 with Nova's message) and the map_az_to_placement_aggregate pre-filter",
    )


class WhatIfSerializer(serializers.Serializer):
    hosts_gained = serializers.ListField(child=serializers.CharField())
    hosts_lost = serializers.ListField(child=serializers.CharField())
    slots_changed = serializers.DictField(child=serializers.DictField())
    total_slots_before = serializers.IntegerField()
    total_slots_after = serializers.IntegerField()
    slots_delta = serializers.IntegerField()
    best_before = serializers.ListField(child=serializers.CharField())
    best_after = serializers.ListField(child=serializers.CharField())
    summary_before = SummarySerializer()
    notes = serializers.ListField(child=serializers.CharField())
    refused = serializers.ListField(
        child=serializers.DictField(),
        help_text="Changes Nova would refuse (index into changes, status, Nova's message); "
        "the after side is computed without them",
    )


class PreviewResponseSerializer(serializers.Serializer):
    flavor = serializers.DictField()
    hosts = HostVerdictSerializer(many=True)
    summary = SummarySerializer()
    warnings = serializers.ListField(child=serializers.CharField())
    errors = serializers.ListField(
        child=serializers.CharField(),
        help_text="Where Nova itself would fail the request (e.g. an unparseable extra spec)",
    )
    enabled_filters = serializers.ListField(child=serializers.CharField())
    what_if = WhatIfSerializer(required=False, help_text="Only when `changes` were given")
    count = serializers.IntegerField(required=False, help_text="Hosts kept by the filters")
    next = serializers.URLField(required=False, allow_null=True)
    previous = serializers.URLField(required=False, allow_null=True)


class RankedHostSerializer(serializers.Serializer):
    host = serializers.CharField()
    rank = serializers.IntegerField()
    weight = serializers.FloatField()
    slots = serializers.IntegerField(allow_null=True)


class PreviewSummarySerializer(serializers.Serializer):
    flavor = serializers.DictField()
    summary = SummarySerializer()
    ranking = RankedHostSerializer(many=True, help_text="The first `top` weighed hosts")
    warnings = serializers.ListField(child=serializers.CharField())
    errors = serializers.ListField(child=serializers.CharField())
    enabled_filters = serializers.ListField(child=serializers.CharField())
    what_if = WhatIfSerializer(required=False, help_text="Only when `changes` were given")


class CompactHostSerializer(serializers.Serializer):
    host = serializers.CharField()
    zone = serializers.CharField(allow_null=True)
    passed = serializers.BooleanField()
    failed_filter = serializers.CharField(allow_null=True)
    weight = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    slots = serializers.IntegerField(allow_null=True)


class PreviewHostsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    hosts = CompactHostSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    """One pending change (documentation; checked by preview.validate_changes)."""

    action = serializers.ChoiceField(choices=preview.ACTIONS)
    aggregate = serializers.CharField(required=False, help_text="aggregate id or name")
    host = serializers.CharField(required=False)
    metadata = serializers.DictField(
        required=False, child=serializers.CharField(allow_null=True), help_text="null deletes"
    )
    keys = serializers.ListField(required=False, child=serializers.CharField())
    flavor = serializers.CharField(required=False, help_text="update_flavor: the flavor's id")
    name = serializers.CharField(required=False, help_text="create_flavor: the new flavor's name")
    flavor_id = serializers.CharField(
        required=False, help_text="create_flavor: the new flavor's id (default: its name)"
    )
    vcpus = serializers.IntegerField(
        required=False, help_text="create_flavor only: Nova flavors cannot be resized"
    )
    ram = serializers.IntegerField(required=False, help_text="create_flavor only, MB")
    disk = serializers.IntegerField(required=False, help_text="create_flavor only, GB")
    extra_specs = serializers.DictField(
        required=False, child=serializers.CharField(allow_null=True)
    )
    disabled_reason = serializers.CharField(required=False)


class PreviewRequestSerializer(serializers.Serializer):
    flavor = serializers.CharField(help_text="Nova flavor id")
    availability_zone = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    project_id = serializers.CharField(required=False, allow_blank=True, default="")
    image_properties = serializers.DictField(required=False, default=dict)
    hints = serializers.JSONField(
        required=False, default=dict, help_text="same_host, different_host, group {policy, members}"
    )
    changes = serializers.JSONField(
        required=False, default=list, help_text="what-if: a list of changes (see ApplyRequest)"
    )

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"flavor": "The body must be a JSON object."})
        if isinstance(data.get("flavor"), int) and not isinstance(data.get("flavor"), bool):
            data = {**data, "flavor": str(data["flavor"])}
        return super().to_internal_value(data)


class ApplyRequestSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)


class ApplyResponseSerializer(serializers.Serializer):
    applied = serializers.IntegerField()


class SchedulerConfigView(CloudScoped, APIView):
    """The cloud's scheduler options under Nova's names, Nova 34's defaults where unset."""

    permission_classes = [AdminsOnly]

    def _current(self) -> dict:
        cloud = self.get_cloud()
        config = scheduler_config(cloud)
        stored = scheduler_options(cloud)
        data = {}
        for name in config.__dataclass_fields__:
            value = getattr(config, name)
            data[name] = list(value) if isinstance(value, tuple) else value
        data["_configured"] = sorted(stored)
        return data

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 403: ERRORS[403], 404: ERRORS[404]})
    def get(self, request, slug):
        return Response(self._current())

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, **{c: ERRORS[c] for c in (400, 403, 404)}},
        description="Replace the stored options (unnamed ones return to Nova's defaults). "
        "Unknown option names and bad values: 400 naming the key.",
    )
    def put(self, request, slug):
        services.set_scheduler_config(
            self.get_cloud(), _options(request.data), actor=request.user, replace=True
        )
        return Response(self._current())

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, **{c: ERRORS[c] for c in (400, 403, 404)}},
        description="Merge options; null restores an option's default.",
    )
    def patch(self, request, slug):
        services.set_scheduler_config(self.get_cloud(), _options(request.data), actor=request.user)
        return Response(self._current())


def _options(data) -> dict:
    if not isinstance(data, dict):
        return data
    return {key: value for key, value in data.items() if key != "_configured"}


class PlacementPreview(CloudScoped, APIView):
    """Nova 34's decision for one server create, host by host; `changes` previews a what-if."""

    permission_classes = [AdminsOnly]

    @extend_schema(
        request=PreviewRequestSerializer,
        parameters=[PreviewViewSerializer],
        responses={
            200: PolymorphicProxySerializer(
                component_name="PlacementPreviewAnswer",
                serializers=[
                    PreviewResponseSerializer,
                    PreviewSummarySerializer,
                    PreviewHostsSerializer,
                ],
                resource_type_field_name=None,
            ),
            **{c: ERRORS[c] for c in (400, 403, 404)},
        },
        description="Every host's verdict per step (Placement, pre-filters, enabled filters, in "
        "Nova's order, each evaluated even after an earlier rejection), weight, rank and slots. "
        "With `changes` the preview is of the changed cloud (nothing is written) and `what_if` "
        "compares it to the current one. `view=summary` gives counts, rejections per step and "
        "the ranking's top; `view=hosts` one compact row per host, paginated; `full` (the "
        "default) every step, paginated only when `page`, `page_size` or a filter is given.",
    )
    def post(self, request, slug):
        body = PreviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        query = preview.PreviewQuery(
            flavor=data["flavor"],
            availability_zone=data.get("availability_zone") or None,
            project_id=data.get("project_id") or "",
            image_properties=data.get("image_properties") or {},
            hints=data.get("hints") or {},
            changes=preview.validate_changes(data.get("changes")),
        )
        shape = PreviewViewSerializer(data=request.query_params)
        shape.is_valid(raise_exception=True)
        options = shape.validated_data
        outcome = preview.run_preview(self.get_cloud(), query)
        view = options["view"]
        if view == "summary":
            payload = preview_json.outcome_payload(outcome, with_hosts=False)
            payload["ranking"] = preview_views.ranking(outcome, options["top"])
            return Response(payload)
        indices = preview_views.selected_hosts(outcome, options)
        if view == "hosts":
            indices = list(range(len(outcome.result.hosts))) if indices is None else indices
            page, links = preview_views.paginate(request, indices, options)
            return Response({**links, "hosts": preview_views.compact_rows(outcome, page)})
        links = None
        if indices is not None or "page" in options or "page_size" in options:
            all_hosts = list(range(len(outcome.result.hosts))) if indices is None else indices
            indices, links = preview_views.paginate(request, all_hosts, options)
        # Encoded by hand: 10,000 hosts through DRF's renderer would take most of a second.
        return HttpResponse(
            preview_json.outcome_json(outcome, indices, links), content_type="application/json"
        )


class PlacementPreviewApply(CloudScoped, APIView):
    """Commit a previewed change set through the ordinary services, all or nothing."""

    permission_classes = [AdminsOnly]

    @extend_schema(
        request=ApplyRequestSerializer,
        responses={200: ApplyResponseSerializer, **ERRORS},
        description="Each change goes through the same service as the ordinary edit (audit log; "
        "the compute API on connected clouds). One refusal rolls back every change; the error "
        "names `changes[i]`.",
    )
    def post(self, request, slug):
        changes = request.data.get("changes") if isinstance(request.data, dict) else None
        applied = services.apply_changes(self.get_cloud(), changes, actor=request.user)
        return Response({"applied": applied})
