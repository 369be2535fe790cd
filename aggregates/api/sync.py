"""REST API of a connected cloud's sync (cloud admins): its runs, newest first, and "sync now"."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aggregates import queries, services
from aggregates.api.base import CloudScoped, ListInCloud, error_responses
from aggregates.choices import HeldResolution
from aggregates.filters import SyncRunFilter
from aggregates.models import SyncRun
from aggregates.models.sync import MAX_RECORDED_CHANGES
from dashboard import permissions

CloudAdmins = permissions.api_permission(permissions.can_manage_clouds)


class SyncChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["host", "aggregate", "flavor", "server"])
    name = serializers.CharField()
    action = serializers.ChoiceField(
        choices=["created", "updated", "deleted", "gone", "returned", "held"],
        help_text="gone: no longer listed, kept hidden with its history; returned: listed again; "
        "held: a removal waiting for an admin or the next sync",
    )
    fields = serializers.ListField(
        child=serializers.CharField(), default=list, help_text="What an update changed"
    )


class HeldRowSerializer(serializers.Serializer):
    key = serializers.JSONField(help_text="Its natural key: host name, flavor id, aggregate id")
    name = serializers.CharField()


class HeldSerializer(serializers.Serializer):
    host = HeldRowSerializer(many=True, required=False)
    flavor = HeldRowSerializer(many=True, required=False)
    aggregate = HeldRowSerializer(many=True, required=False)


class SyncRunSerializer(serializers.ModelSerializer):
    held = HeldSerializer(
        help_text="Removals not made: more than STACKBOARD_SYNC_HOLD_SHARE of a kind's rows "
        "went missing from the listing at once"
    )
    changes = SyncChangeSerializer(
        many=True,
        help_text=f"What the run changed (drift): its first {MAX_RECORDED_CHANGES}; the counts "
        "stay exact beyond",
    )
    # Declared: a read-only model field loses allow_blank, and the schema then refused "".
    held_resolution = serializers.ChoiceField(
        choices=HeldResolution.choices,
        allow_blank=True,
        help_text='How held removals were settled; "" while none are held or still pending',
    )
    error = serializers.CharField(help_text="The compute API's message, verbatim")
    error_status = serializers.IntegerField(
        allow_null=True, help_text="The compute API's status (503: unreachable, slow or 5xx)"
    )

    class Meta:
        model = SyncRun
        fields = [
            "id",
            "status",
            "task_id",
            "started_at",
            "finished_at",
            "duration_ms",
            "write_ms",
            "microversion",
            "created",
            "updated",
            "deleted",
            "gone",
            "held",
            "held_resolution",
            "held_resolved_at",
            "held_resolved_by",
            "changes",
            "error",
            "error_status",
        ]
        read_only_fields = fields


class SyncRequestedSerializer(serializers.Serializer):
    cloud = serializers.SlugField()
    status = serializers.ChoiceField(choices=["queued"])
    task_id = serializers.CharField(help_text="The run the sync records carries it")
    sync_runs = serializers.URLField(help_text="Its run, once a worker starts it")


class SyncRunList(ListInCloud):
    """A cloud's sync runs, newest first: outcome, counts, microversion, error and changes."""

    serializer_class = SyncRunSerializer
    permission_classes = [CloudAdmins]
    filterset_class = SyncRunFilter
    ordering_fields = ["started_at"]

    def cloud_rows(self, cloud):
        return queries.sync_runs_for(cloud)

    @extend_schema(responses={200: SyncRunSerializer(many=True), **error_responses(400, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CloudSyncRequest(CloudScoped, APIView):
    permission_classes = [CloudAdmins]

    @extend_schema(
        request=None,
        responses={202: SyncRequestedSerializer, **error_responses(400, 403, 404, 409, 503)},
        description="Enqueue a sync of a connected cloud, as the page's *Sync now* does. "
        "400 for a local cloud (there is no compute API to sync from); 409 while a sync of the "
        "cloud is running; 503 while the task queue (Redis) is unreachable.",
    )
    def post(self, request, slug):
        cloud = self.get_cloud()
        task_id = services.request_sync(cloud, actor=request.user)
        runs = reverse("api-syncrun-list", args=[cloud.slug])
        body = {
            "cloud": cloud.slug,
            "status": "queued",
            "task_id": task_id,
            "sync_runs": request.build_absolute_uri(f"{runs}?task_id={task_id}"),
        }
        return Response(SyncRequestedSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class ConfirmHeldRemovals(CloudScoped, APIView):
    permission_classes = [CloudAdmins]

    @extend_schema(
        request=None,
        responses={200: SyncRunSerializer, **error_responses(400, 403, 404, 409)},
        description="Apply the removals the last sync held (the page's *Confirm removals*): "
        "the rows are marked gone, kept with their history and hidden from lists. 409 when "
        "none wait (none held, or the next sync or an admin decided them).",
    )
    def post(self, request, slug):
        run = services.confirm_held_removals(self.get_cloud(), actor=request.user)
        return Response(SyncRunSerializer(run).data)
