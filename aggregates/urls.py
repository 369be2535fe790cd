"""Pages of clouds and their resource segregation (cloud admins; zones and flavors for members)."""

from django.urls import path

from aggregates.views import clouds, sync

app_name = "aggregates"
urlpatterns = [
    path("", clouds.cloud_list, name="cloud_list"),
    path("<slug:cloud_slug>/sync/", sync.cloud_sync, name="cloud_sync"),
    path("<slug:cloud_slug>/sync/now/", sync.cloud_sync_now, name="cloud_sync_now"),
    path("<slug:cloud_slug>/sync/status/", sync.cloud_sync_status, name="cloud_sync_status"),
    path("<slug:cloud_slug>/sync/interval/", sync.cloud_sync_interval, name="cloud_sync_interval"),
    path("<slug:cloud_slug>/sync/runs/<int:run_id>/", sync.syncrun_detail, name="syncrun_detail"),
]
