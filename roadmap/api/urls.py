"""Roadmap API routes, one module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("roadmap.api.urls_roadmap")),
    path("", include("roadmap.api.urls_board")),
]
