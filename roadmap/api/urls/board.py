"""API routes of meetups and the board; their collections are listed on the API root."""

from rest_framework.routers import SimpleRouter

from dashboard.api.views import ROOT_ENTRIES
from roadmap.api.views import board as views

router = SimpleRouter()
router.register("meetups", views.MeetupViewSet, basename="meetup")
router.register("board/meetings", views.BoardMeetingViewSet, basename="boardmeeting")
router.register("board/items", views.BoardItemViewSet, basename="boarditem")
router.register("board/action-items", views.ActionItemViewSet, basename="actionitem")

urlpatterns = router.urls

ROOT_ENTRIES.extend(
    [
        ("meetups", "meetup-list"),
        ("board/meetings", "boardmeeting-list"),
        ("board/items", "boarditem-list"),
        ("board/action-items", "actionitem-list"),
    ]
)
