"""Pages of clouds and their resource segregation (cloud admins; zones and flavors for members)."""

from django.urls import path

from aggregates.views import (
    aggregates,
    clouds,
    flavors,
    hosts,
    placement,
    planning,
    server_groups,
    servers,
    sync,
    utilisation,
    zones,
)

app_name = "aggregates"
CLOUD = "<slug:slug>/"
AGGREGATE = CLOUD + "aggregates/<int:pk>/"
FLAVOR = CLOUD + "flavors/<str:flavor_id>/"
SERVER_PLAN = CLOUD + "plan/servers/<str:server_uuid>/"
# Host actions by row id, outside hosts/<path:name>/: any host name, and none can shadow them.
HOST = CLOUD + "hosts-by-id/<int:pk>/"

urlpatterns = [
    path("", clouds.cloud_list, name="cloud_list"),
    path("new/", clouds.cloud_create, name="cloud_create"),
    path(CLOUD, clouds.cloud_detail, name="cloud_detail"),
    path(CLOUD + "edit/", clouds.cloud_update, name="cloud_update"),
    path(CLOUD + "delete/", clouds.cloud_delete, name="cloud_delete"),
    path(CLOUD + "utilisation/", utilisation.cloud_utilisation, name="cloud_utilisation"),
    path(CLOUD + "utilisation/heatmap/", utilisation.cloud_heatmap, name="cloud_heatmap"),
    path(
        CLOUD + "utilisation/export.csv",
        utilisation.utilisation_export,
        name="cloud_utilisation_export",
    ),
    path(CLOUD + "capacity/", utilisation.cloud_capacity, name="cloud_capacity"),
    path(CLOUD + "capacity/export.csv", utilisation.capacity_export, name="cloud_capacity_export"),
    path(
        CLOUD + "capacity/by-flavor/",
        utilisation.cloud_capacity_matrix,
        name="cloud_capacity_matrix",
    ),
    path(CLOUD + "capacity/run-out.csv", utilisation.run_out_export, name="cloud_run_out_export"),
    path(
        CLOUD + "capacity/by-flavor.csv",
        utilisation.capacity_matrix_export,
        name="cloud_capacity_matrix_export",
    ),
    path(CLOUD + "scheduler/", placement.cloud_scheduler, name="cloud_scheduler"),
    path(CLOUD + "placement-preview/", placement.placement_preview_page, name="placement_preview"),
    path(
        CLOUD + "placement-preview/host/",
        placement.placement_preview_host,
        name="placement_preview_host",
    ),
    path(CLOUD + "plan/drain/", planning.drain_plan_page, name="drain_plan"),
    path(CLOUD + "plan/drain.csv", planning.drain_plan_export, name="drain_plan_export"),
    path(CLOUD + "plan/resilience/", planning.resilience_page, name="resilience"),
    path(
        SERVER_PLAN + "migration-targets/",
        planning.server_question_page,
        {"question": "migration-targets"},
        name="server_migration_targets",
    ),
    path(
        SERVER_PLAN + "migration-targets.csv",
        planning.server_question_export,
        {"question": "migration-targets"},
        name="server_migration_targets_export",
    ),
    path(
        SERVER_PLAN + "failure/",
        planning.server_question_page,
        {"question": "failure"},
        name="server_failure",
    ),
    path(
        SERVER_PLAN + "failure.csv",
        planning.server_question_export,
        {"question": "failure"},
        name="server_failure_export",
    ),
    path(
        CLOUD + "placement-preview/remove-change/",
        placement.placement_preview_remove_change,
        name="placement_preview_remove_change",
    ),
    path(
        CLOUD + "placement-preview/apply/",
        placement.placement_preview_apply,
        name="placement_preview_apply",
    ),
    path(CLOUD + "hosts/", hosts.host_list, name="host_list"),
    path(CLOUD + "hosts/new/", hosts.host_create, name="host_create"),
    path(CLOUD + "hosts/names/", hosts.host_names, name="host_names"),
    path(CLOUD + "hosts/<path:name>/", hosts.host_detail, name="host_detail"),
    path(CLOUD + "servers/", servers.server_list, name="server_list"),
    path(HOST + "status/", hosts.host_set_status, name="host_set_status"),
    path(HOST + "edit/", hosts.host_update, name="host_update"),
    path(HOST + "delete/", hosts.host_delete, name="host_delete"),
    path(CLOUD + "aggregates/", aggregates.aggregate_list, name="aggregate_list"),
    path(CLOUD + "aggregates/new/", aggregates.aggregate_create, name="aggregate_create"),
    path(AGGREGATE, aggregates.aggregate_detail, name="aggregate_detail"),
    path(AGGREGATE + "edit/", aggregates.aggregate_update, name="aggregate_update"),
    path(AGGREGATE + "metadata/", aggregates.aggregate_set_metadata, name="aggregate_set_metadata"),
    path(AGGREGATE + "hosts/add/", aggregates.aggregate_add_host, name="aggregate_add_host"),
    path(
        AGGREGATE + "hosts/remove/", aggregates.aggregate_remove_host, name="aggregate_remove_host"
    ),
    path(AGGREGATE + "delete/", aggregates.aggregate_delete, name="aggregate_delete"),
    path(CLOUD + "server-groups/", server_groups.servergroup_list, name="servergroup_list"),
    path(
        CLOUD + "server-groups/<uuid:group_uuid>/delete/",
        server_groups.servergroup_delete,
        name="servergroup_delete",
    ),
    path(CLOUD + "availability-zones/", zones.zone_list, name="zone_list"),
    path(CLOUD + "flavors/", flavors.flavor_list, name="flavor_list"),
    path(CLOUD + "flavors/new/", flavors.flavor_create, name="flavor_create"),
    path(FLAVOR, flavors.flavor_detail, name="flavor_detail"),
    path(FLAVOR + "delete/", flavors.flavor_delete, name="flavor_delete"),
    path(FLAVOR + "extra-specs/", flavors.flavor_set_extra_spec, name="flavor_set_extra_spec"),
    path(
        FLAVOR + "extra-specs/delete/",
        flavors.flavor_delete_extra_spec,
        name="flavor_delete_extra_spec",
    ),
    path(FLAVOR + "access/", flavors.flavor_add_access, name="flavor_add_access"),
    path(FLAVOR + "access/remove/", flavors.flavor_remove_access, name="flavor_remove_access"),
    path("<slug:cloud_slug>/sync/", sync.cloud_sync, name="cloud_sync"),
    path("<slug:cloud_slug>/sync/now/", sync.cloud_sync_now, name="cloud_sync_now"),
    path("<slug:cloud_slug>/sync/status/", sync.cloud_sync_status, name="cloud_sync_status"),
    path(
        "<slug:cloud_slug>/sync/held/confirm/",
        sync.cloud_sync_confirm_held,
        name="cloud_sync_confirm_held",
    ),
    path("<slug:cloud_slug>/sync/interval/", sync.cloud_sync_interval, name="cloud_sync_interval"),
    path("<slug:cloud_slug>/sync/runs/<int:run_id>/", sync.syncrun_detail, name="syncrun_detail"),
]
