"""Roadmap API routes, one module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("roadmap.api.urls.blueprints")),
    path("", include("roadmap.api.urls.board")),
]
