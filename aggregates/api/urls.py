"""API routes of clouds and their resource segregation; listed in the /api/v1/ root."""

from django.urls import path

from aggregates.api import planning, scheduling, server_groups, sync, utilisation, views
from dashboard.api.views import ROOT_ENTRIES

CLOUD = "clouds/<slug:slug>/"
FLAVOR = CLOUD + "flavors/<str:flavor_id>/"

urlpatterns = [
    path("clouds/", views.CloudList.as_view(), name="api-cloud-list"),
    path(CLOUD, views.CloudDetail.as_view(), name="api-cloud-detail"),
    path(CLOUD + "hosts/", views.HostList.as_view(), name="api-host-list"),
    path(CLOUD + "hosts/<path:name>/", views.HostDetail.as_view(), name="api-host-detail"),
    path(CLOUD + "aggregates/", views.AggregateList.as_view(), name="api-aggregate-list"),
    path(
        CLOUD + "aggregates/<int:pk>/", views.AggregateDetail.as_view(), name="api-aggregate-detail"
    ),
    path(
        CLOUD + "aggregates/<int:pk>/action",
        views.AggregateAction.as_view(),
        name="api-aggregate-action",
    ),
    path(CLOUD + "availability-zones/", views.ZoneList.as_view(), name="api-zone-list"),
    path(CLOUD + "flavors/", views.FlavorList.as_view(), name="api-flavor-list"),
    path(FLAVOR, views.FlavorDetail.as_view(), name="api-flavor-detail"),
    path(FLAVOR + "extra-specs/", views.ExtraSpecList.as_view(), name="api-flavor-extra-specs"),
    path(
        FLAVOR + "extra-specs/<str:key>/",
        views.ExtraSpecDetail.as_view(),
        name="api-flavor-extra-spec",
    ),
    path(FLAVOR + "access/", views.FlavorAccessList.as_view(), name="api-flavor-access"),
    path(
        FLAVOR + "access/<str:tenant>/",
        views.FlavorAccessDetail.as_view(),
        name="api-flavor-access-detail",
    ),
    path(CLOUD + "servers/", views.ServerList.as_view(), name="api-server-list"),
    path(
        CLOUD + "server-groups/",
        server_groups.ServerGroupList.as_view(),
        name="api-server-group-list",
    ),
    path(
        CLOUD + "utilisation/", utilisation.UtilisationList.as_view(), name="api-utilisation-list"
    ),
    path(
        CLOUD + "utilisation/history/",
        utilisation.UtilisationHistory.as_view(),
        name="api-utilisation-history",
    ),
    path(CLOUD + "capacity/", utilisation.CloudCapacity.as_view(), name="api-cloud-capacity"),
    path(
        CLOUD + "scheduler/", scheduling.SchedulerConfigView.as_view(), name="api-cloud-scheduler"
    ),
    path(CLOUD + "sync-runs/", sync.SyncRunList.as_view(), name="api-syncrun-list"),
    path(CLOUD + "sync/", sync.CloudSyncRequest.as_view(), name="api-cloud-sync"),
    path(
        CLOUD + "sync/held/confirm/",
        sync.ConfirmHeldRemovals.as_view(),
        name="api-cloud-sync-confirm-held",
    ),
    path(
        CLOUD + "placement-preview/",
        scheduling.PlacementPreview.as_view(),
        name="api-placement-preview",
    ),
    path(
        CLOUD + "placement-preview/apply/",
        scheduling.PlacementPreviewApply.as_view(),
        name="api-placement-preview-apply",
    ),
    path(CLOUD + "plan/drain/", planning.DrainPlanView.as_view(), name="api-drain-plan"),
    path(CLOUD + "plan/resilience/", planning.Resilience.as_view(), name="api-resilience"),
    path(
        CLOUD + "servers/<str:server_uuid>/migration-targets/",
        planning.MigrationTargets.as_view(),
        name="api-server-migration-targets",
    ),
    path(
        CLOUD + "servers/<str:server_uuid>/failure/",
        planning.ServerFailure.as_view(),
        name="api-server-failure",
    ),
]

ROOT_ENTRIES.append(("clouds", "api-cloud-list"))
