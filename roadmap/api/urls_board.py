"""API routes of meetups and the board; their collections are listed on the API root."""

from rest_framework.routers import SimpleRouter

from dashboard.api.views import ROOT_ENTRIES
from roadmap.api import views_board

router = SimpleRouter()
router.register("meetups", views_board.MeetupViewSet, basename="meetup")
router.register("board/meetings", views_board.BoardMeetingViewSet, basename="boardmeeting")
router.register("board/items", views_board.BoardItemViewSet, basename="boarditem")
router.register("board/action-items", views_board.ActionItemViewSet, basename="actionitem")

urlpatterns = router.urls

ROOT_ENTRIES.extend(
    [
        ("meetups", "meetup-list"),
        ("board/meetings", "boardmeeting-list"),
        ("board/items", "boarditem-list"),
        ("board/action-items", "actionitem-list"),
    ]
)
