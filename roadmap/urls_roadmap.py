from django.urls import path

from roadmap.views import blueprints

urlpatterns = [
    path("", blueprints.roadmap_index, name="index"),
]
