"""The API's root: /api/v1/ lists every resource, each app adds its own routes."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dashboard.api import views

urlpatterns = [
    path("v1/", views.ApiRoot.as_view(), name="api-root"),
    path("v1/", include("dashboard.api.routes")),
    path("v1/", include("aggregates.api.urls")),
    path("v1/", include("roadmap.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
