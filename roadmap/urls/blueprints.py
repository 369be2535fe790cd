"""Pages under /roadmap/: blueprints, projects, series, milestones, reports and feeds."""

from django.urls import path
from django.views.decorators.http import require_GET

from roadmap.feeds.blueprints import ProjectBlueprintFeed
from roadmap.views import blueprints

urlpatterns = [
    path("", blueprints.roadmap_index, name="index"),
    path("blueprints/", blueprints.blueprint_list, name="blueprint_list"),
    path("blueprints/new/", blueprints.blueprint_create, name="blueprint_create"),
    path("projects/<str:project_name>/", blueprints.project_detail, name="project_detail"),
    path("projects/<str:project_name>/import/", blueprints.project_import, name="project_import"),
    path(
        "projects/<str:project_name>/feed/",
        require_GET(ProjectBlueprintFeed()),
        name="project_feed",
    ),
    path(
        "projects/<str:project_name>/series/<str:series_name>/preview/",
        blueprints.release_preview,
        name="release_preview",
    ),
    path(
        "projects/<str:project_name>/blueprints/<str:name>/",
        blueprints.blueprint_detail,
        name="blueprint_detail",
    ),
    path(
        "projects/<str:project_name>/blueprints/<str:name>/edit/",
        blueprints.blueprint_update,
        name="blueprint_update",
    ),
    path(
        "projects/<str:project_name>/blueprints/<str:name>/delete/",
        blueprints.blueprint_delete,
        name="blueprint_delete",
    ),
    path("series/<str:series_name>/", blueprints.series_detail, name="series_detail"),
    path("milestones/<str:milestone_name>/", blueprints.milestone_detail, name="milestone_detail"),
]
