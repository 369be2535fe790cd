from django.urls import path

from roadmap.views import board

urlpatterns = [
    path("", board.board_index, name="board_index"),
]
