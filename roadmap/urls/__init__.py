"""Pages of the roadmap (/roadmap/), meetups (/meetups/) and board (/board/), a module each."""

from django.urls import include, path

app_name = "roadmap"
urlpatterns = [
    path("roadmap/", include("roadmap.urls.blueprints")),
    path("meetups/", include("roadmap.urls.meetups")),
    path("board/", include("roadmap.urls.board")),
]
