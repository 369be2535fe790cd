"""Pages of clouds and their resource segregation (cloud admins; zones and flavors for members)."""

from django.urls import path

from aggregates import views

app_name = "aggregates"
urlpatterns = [
    path("", views.cloud_list, name="cloud_list"),
]
