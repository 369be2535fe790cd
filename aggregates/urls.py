"""Pages of clouds and their resource segregation (cloud admins; zones and flavors for members)."""

from django.urls import path

from aggregates.views import clouds

app_name = "aggregates"
urlpatterns = [
    path("", clouds.cloud_list, name="cloud_list"),
]
