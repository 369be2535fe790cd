"""Pages of the roadmap, meetups and board."""

from django.urls import path

from roadmap import views

app_name = "roadmap"
urlpatterns = [
    path("", views.roadmap_index, name="index"),
    path("meetups/", views.meetup_list, name="meetup_list"),
    path("board/", views.board_index, name="board_index"),
]
