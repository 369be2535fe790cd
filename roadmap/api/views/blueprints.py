"""API of projects, series, milestones and blueprints (/api/v1/…), import and release preview."""

from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dashboard import permissions
from dashboard.api.exceptions import errors_response
from dashboard.errors import Conflict
from dashboard.request_guard import FormParser, JSONParser, MultiPartParser
from roadmap.api.serializers import blueprints as s
from roadmap.filters.blueprints import BlueprintFilter, MilestoneFilter, SeriesFilter
from roadmap.importers import launchpad
from roadmap.models import Project
from roadmap.queries import blueprints as queries
from roadmap.queries import reports
from roadmap.services import blueprints as blueprint_services
from roadmap.services import projects as project_services

RoadmapPermission = permissions.api_permission(
    permissions.can_read_roadmap, permissions.can_edit_roadmap
)
CalendarPermission = permissions.api_permission(
    permissions.can_read_roadmap, permissions.can_edit_release_calendar
)


def _require_edit(user, project: Project) -> None:
    if not permissions.can_edit_roadmap(user, project):
        raise PermissionDenied(f"You may not edit the blueprints of {project.name}.")


class CalendarObjectViewSet(viewsets.ModelViewSet):
    """Shared writes of the simple objects: through the services, protected deletes are 409."""

    lookup_field = "name"
    lookup_value_regex = r"[^/]+"

    def get_object(self):
        obj = queries.by_name(self.filter_queryset(self.get_queryset()), self.kwargs["name"])
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def perform_create(self, serializer):
        serializer.instance = project_services.create_object(
            serializer.Meta.model, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        project_services.update_object(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        try:
            project_services.delete_object(instance, actor=self.request.user)
        except ProtectedError as exc:
            raise Conflict(
                f"{instance} still has blueprints targeted to it; retarget them first."
            ) from exc


class ProjectViewSet(CalendarObjectViewSet):
    """Projects and their leads; leads of a project and admins edit it."""

    serializer_class = s.ProjectSerializer
    permission_classes = [RoadmapPermission]
    ordering_fields = ["name"]
    filterset_fields = ["name"]

    def get_queryset(self):
        return queries.projects_for_list()

    def perform_create(self, serializer):
        serializer.instance = project_services.create_project(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        _require_edit(self.request.user, serializer.instance)
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        _require_edit(self.request.user, instance)
        super().perform_destroy(instance)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"], url_path=r"release-preview/(?P<series_name>[^/]+)")
    def release_preview(self, request, name=None, series_name=None):
        """The release preview: the series' blueprints grouped by theme, each once."""
        project = self.get_object()
        series = get_object_or_404(queries.series_named(series_name))
        return Response(reports.release_preview_data(project, series))


class SeriesViewSet(CalendarObjectViewSet):
    """Release series (Juno…) and their milestone names; admins keep the calendar."""

    serializer_class = s.SeriesSerializer
    permission_classes = [CalendarPermission]
    filterset_class = SeriesFilter
    ordering_fields = ["release_date", "name"]

    def get_queryset(self):
        return queries.series_for_list()


class MilestoneViewSet(CalendarObjectViewSet):
    serializer_class = s.MilestoneSerializer
    permission_classes = [CalendarPermission]
    filterset_class = MilestoneFilter
    ordering_fields = ["date", "name"]

    def get_queryset(self):
        return queries.milestones_for_list()


class BlueprintViewSet(viewsets.ModelViewSet):
    """Blueprints with Launchpad's field names and strings; filters as on the list page."""

    serializer_class = s.BlueprintSerializer
    permission_classes = [RoadmapPermission]
    filterset_class = BlueprintFilter
    ordering_fields = ["name", "date_created", "priority_rank"]

    def get_queryset(self):
        return queries.blueprints_for_list()

    def perform_create(self, serializer):
        _require_edit(self.request.user, serializer.validated_data["project"])
        serializer.save()

    def perform_update(self, serializer):
        _require_edit(self.request.user, serializer.instance.project)
        if "project" in serializer.validated_data:
            _require_edit(self.request.user, serializer.validated_data["project"])
        serializer.save()

    def perform_destroy(self, instance):
        _require_edit(self.request.user, instance.project)
        blueprint_services.delete_blueprint(instance, actor=self.request.user)

    @extend_schema(request=s.ImportSerializer, responses={200: dict, 201: dict})
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def import_collection(self, request):
        """Import a Launchpad collection page; all or nothing, each bad entry named."""
        body = s.ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = Project.objects.filter(name=data["project"]).first()
        if project is not None:
            _require_edit(request.user, project)
        try:
            if "file" in data:
                collection = launchpad.parse_json_text(data["file"].read())
            else:
                collection = launchpad.parse_pages([data["collection"]])
            result = blueprint_services.import_launchpad_collection(
                data["project"], collection, actor=request.user, series=data.get("series")
            )
        except launchpad.ImportRefused as refused:
            return errors_response(
                [{"field": refused.field, "message": p} for p in refused.problems],
                status.HTTP_400_BAD_REQUEST,
            )
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(result.as_dict(), status=code)
