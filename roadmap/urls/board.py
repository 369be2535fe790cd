"""Board pages, feeds and the export under /board/."""

from django.urls import path
from django.views.decorators.http import require_GET

from roadmap.feeds import board as feeds
from roadmap.views import board

urlpatterns = [
    path("", board.board_index, name="board_index"),
    path("meetings/new/", board.boardmeeting_create, name="boardmeeting_create"),
    path("meetings/<int:meeting_id>/", board.boardmeeting_detail, name="boardmeeting_detail"),
    path("meetings/<int:meeting_id>/edit/", board.boardmeeting_update, name="boardmeeting_update"),
    path(
        "meetings/<int:meeting_id>/delete/", board.boardmeeting_delete, name="boardmeeting_delete"
    ),
    path("meetings/<int:meeting_id>/items/new/", board.boarditem_create, name="boarditem_create"),
    path("items/", board.boarditem_list, name="boarditem_list"),
    path("items.csv", board.boarditem_export, name="boarditem_export"),
    path("items/<int:item_id>/", board.boarditem_detail, name="boarditem_detail"),
    path("items/<int:item_id>/edit/", board.boarditem_update, name="boarditem_update"),
    path("items/<int:item_id>/delete/", board.boarditem_delete, name="boarditem_delete"),
    path(
        "items/<int:item_id>/action-items/new/", board.actionitem_create, name="actionitem_create"
    ),
    path("action-items/", board.actionitem_list, name="actionitem_list"),
    path("action-items/<int:action_id>/edit/", board.actionitem_update, name="actionitem_update"),
    path("action-items/<int:action_id>/delete/", board.actionitem_delete, name="actionitem_delete"),
    path("calendar.ics", feeds.boardmeeting_calendar, name="boardmeeting_calendar"),
    path("decisions.atom", require_GET(feeds.BoardDecisionFeed()), name="boarditem_feed"),
]
