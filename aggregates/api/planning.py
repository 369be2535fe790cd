"""API of capacity planning: a drain plan of hosts, an aggregate or a zone (nothing is written)."""

import dataclasses

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aggregates import preview, services
from aggregates.api import preview_json
from aggregates.api.base import CloudScoped
from aggregates.api.scheduling import ERRORS, AdminsOnly
from aggregates.scheduling import DrainPlan, Move


class DrainRequestSerializer(serializers.Serializer):
    hosts = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="compute host names"
    )
    aggregate = serializers.CharField(required=False, help_text="aggregate id or name")
    zone = serializers.CharField(required=False, help_text="availability zone name")
    changes = serializers.JSONField(
        required=False, default=list, help_text="what-if changes, as the placement preview takes"
    )

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"hosts": "The body must be a JSON object."})
        return super().to_internal_value(data)


class ExampleSerializer(serializers.Serializer):
    host = serializers.CharField()
    reason = serializers.CharField()


class RejectionSerializer(serializers.Serializer):
    step = serializers.CharField(help_text="Nova's name of the step (filter class or pre-filter)")
    hosts = serializers.IntegerField(help_text="hosts staying up that this step rejected")
    examples = ExampleSerializer(many=True)


class PlannedServerSerializer(serializers.Serializer):
    uuid = serializers.CharField()
    name = serializers.CharField()
    host = serializers.CharField(help_text="where it runs now")
    flavor = serializers.CharField(allow_null=True, help_text="flavor id")
    project_id = serializers.CharField()


class MoveSerializer(serializers.Serializer):
    server = PlannedServerSerializer()
    destination = serializers.CharField(allow_null=True, help_text="null: fits nowhere")
    weight = serializers.FloatField(allow_null=True)
    rejections = RejectionSerializer(many=True, help_text="why no host passed, most hosts first")
    error = serializers.CharField(allow_null=True, help_text="where Nova would fail the request")


class ZoneUseSerializer(serializers.Serializer):
    zone = serializers.CharField()
    hosts = serializers.IntegerField(help_text="hosts of the zone that stay up")
    vcpus = serializers.IntegerField(help_text="their VCPU capacity (Placement's)")
    vcpus_used_before = serializers.IntegerField()
    vcpus_used_after = serializers.IntegerField()
    memory_mb = serializers.IntegerField()
    memory_mb_used_before = serializers.IntegerField()
    memory_mb_used_after = serializers.IntegerField()


class DrainSummarySerializer(serializers.Serializer):
    servers = serializers.IntegerField()
    placed = serializers.IntegerField()
    unplaceable = serializers.IntegerField()


class DrainResponseSerializer(serializers.Serializer):
    drained = serializers.ListField(child=serializers.CharField())
    summary = DrainSummarySerializer()
    moves = MoveSerializer(many=True, help_text="in the plan's order: largest first")
    zones = ZoneUseSerializer(many=True)
    change_notes = serializers.ListField(child=serializers.CharField())
    timings_ms = serializers.DictField(child=serializers.FloatField())


class DrainPlanView(CloudScoped, APIView):
    """Where each server of the drained hosts would go, one by one, by Nova's scheduling rules."""

    permission_classes = [AdminsOnly]

    @extend_schema(
        request=DrainRequestSerializer,
        responses={200: DrainResponseSerializer, **{c: ERRORS[c] for c in (400, 403, 404)}},
        description="Name exactly one of `hosts`, `aggregate` or `zone`. Those hosts are disabled "
        "in memory and their servers re-placed largest first, as a cold migration asks the "
        "scheduler (the server's flavor and project); each placement uses up room before the "
        "next. `changes` plans on a what-if cloud.",
    )
    def post(self, request, slug):
        body = DrainRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        query = preview.DrainQuery(
            hosts=data.get("hosts"),
            aggregate=data.get("aggregate"),
            zone=data.get("zone"),
            changes=preview.validate_changes(data.get("changes")),
        )
        outcome = preview.run_drain(self.get_cloud(), query)
        return Response(plan_json(outcome.plan, outcome.change_notes, outcome.timings_ms))


def plan_json(plan: DrainPlan, notes: list[str], timings: dict[str, float]) -> dict:
    return {
        "drained": list(plan.drained),
        "summary": {
            "servers": len(plan.moves),
            "placed": plan.placed,
            "unplaceable": plan.unplaceable,
        },
        "moves": [_move(move) for move in plan.moves],
        "zones": [dataclasses.asdict(zone) for zone in plan.zones],
        "change_notes": notes,
        "timings_ms": {name: round(value, 2) for name, value in timings.items()},
    }


def _move(move: Move) -> dict:
    server = move.server
    return {
        "server": {
            "uuid": server.uuid,
            "name": server.name,
            "host": server.host,
            "flavor": server.flavor.id if server.flavor else None,
            "project_id": server.project_id,
        },
        "destination": move.destination,
        "weight": move.weight,
        "rejections": [
            {
                "step": rejection.step,
                "hosts": rejection.hosts,
                "examples": [{"host": h, "reason": r} for h, r in rejection.examples],
            }
            for rejection in move.rejections
        ],
        "error": move.error,
    }


def _server_payload(server, outcome) -> dict:
    """The replayed request's preview, led by the server and the steps rejecting most hosts."""
    rejected = outcome.result.summary.rejected_by
    return {
        "server": {
            "uuid": str(server.uuid),
            "name": server.name,
            "status": server.status,
            "host": server.host.name if server.host else None,
            "flavor": server.flavor.flavor_id if server.flavor else server.flavor_name,
            "project_id": server.project_id,
            "requested_zone": server.requested_zone or None,
            "fault": server.fault or None,
        },
        "rejections": [
            {"step": step, "hosts": count}
            for step, count in sorted(rejected.items(), key=lambda item: -item[1])
            if count
        ],
        **preview_json.outcome_payload(outcome),
    }


class MigrationTargets(CloudScoped, APIView):
    """Where a server could be cold-migrated now: its own request, its host left out."""

    permission_classes = [AdminsOnly]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, **{c: ERRORS[c] for c in (400, 403, 404)}},
        description="The placement preview of the server's flavor, project and server group, "
        "with its current host excluded as Nova's migration excludes it; `rejections` lists "
        "the steps by the number of hosts they rejected.",
    )
    def get(self, request, slug, server_uuid):
        server, outcome = preview.migration_targets(self.get_cloud(), server_uuid)
        return Response(_server_payload(server, outcome))


class ServerFailure(CloudScoped, APIView):
    """Why a server in ERROR found no host: its request replayed against the mirror now."""

    permission_classes = [AdminsOnly]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "at",
                str,
                enum=list(preview.REPLAY_TIMES),
                description="`now` (default): the cloud as it is; `creation`: each host's usage "
                "from its utilisation history when the server was booted (400 when the history "
                "has none then)",
            )
        ],
        responses={200: OpenApiTypes.OBJECT, **{c: ERRORS[c] for c in (400, 403, 404)}},
        description="The server's flavor, project, requested zone and group previewed on the "
        "cloud as it is now, or as it stood at the server's creation; `rejections` puts the "
        "step that rejected most hosts first.",
    )
    def get(self, request, slug, server_uuid):
        at = request.query_params.get("at", "now")
        server, outcome = preview.explain_failure(self.get_cloud(), server_uuid, at)
        return Response(_server_payload(server, outcome))


def resilience_json(state) -> dict:
    """A run of N+1: progress while it runs (over all its parts when split), why it failed;
    when complete, every unit worst first."""
    if state.failed:
        return {"complete": False, "failed": True, "error": state.error, "parts": state.parts}
    if not state.complete:
        return {
            "complete": False,
            "failed": False,
            "done": state.done,
            "total": state.total,
            "parts": state.parts,
        }
    return {
        "complete": True,
        "failed": False,
        "parts": state.parts,
        "survives": not state.failing,
        "failing": len(state.failing),
        "risks": [
            {
                "unit": risk.unit,
                "hosts": risk.hosts,
                "servers": risk.servers,
                "stranded": risk.stranded,
                "rejected_by": [{"step": step, "servers": n} for step, n in risk.rejected_by],
            }
            for risk in state.risks
        ],
    }


class ResilienceQuery(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=preview.LEVELS,
        default="host",
        error_messages={"invalid_choice": f"'level' must be one of {', '.join(preview.LEVELS)}."},
    )
    retry = serializers.BooleanField(default=False, help_text="start again after a failed run")


class Resilience(CloudScoped, APIView):
    """N+1: could the cloud lose any one host (`level=host`) or zone (`level=zone`)?"""

    permission_classes = [AdminsOnly]

    @extend_schema(
        parameters=[ResilienceQuery],
        responses={
            200: OpenApiTypes.OBJECT,
            202: OpenApiTypes.OBJECT,
            **{c: ERRORS[c] for c in (400, 403, 404)},
        },
        description="For every host (or zone) with servers, a drain plan from the cloud as it "
        "is; computed in the worker once per cloud version. 202 with progress while it runs, "
        "200 with each unit worst first (`stranded` servers, the steps that stranded them). "
        "With more than one worker running, the run is split into `parts` merged into the same "
        "answer. 200 with `failed` and its `error` when the run failed: `retry=true` starts "
        "a new one.",
    )
    def get(self, request, slug):
        query = ResilienceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        state = services.request_resilience(
            self.get_cloud(), query.validated_data["level"], retry=query.validated_data["retry"]
        )
        return Response(
            resilience_json(state), status=200 if state.complete or state.failed else 202
        )
