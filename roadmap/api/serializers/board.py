"""Serializers of meetups, RSVPs, board meetings, items and action items (shape only)."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dashboard.ranges import NamedRangesSerializer
from roadmap.models import ActionItem, BoardItem, BoardMeeting, Meetup, Project, Rsvp, Series
from roadmap.queries import board as board_queries
from roadmap.queries.blueprints import by_name

User = get_user_model()


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "14:00:00"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time without offset (OpenAPI's `format: time` would demand one)."""


class SeriesField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": "Unknown series “{value}”: use a release series name such as Juno.",
        "invalid": "Give the series by name, such as Juno.",
    }

    def to_internal_value(self, data):
        found = by_name(self.get_queryset(), str(data))
        if found is None:
            self.fail("does_not_exist", value=data)
        return found


class MeetupSerializer(NamedRangesSerializer, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="meetup-detail")
    project = serializers.SlugRelatedField(
        slug_field="name", queryset=Project.objects.all(), allow_null=True, required=False
    )
    series = SeriesField(slug_field="name", queryset=Series.objects.all())
    organiser = serializers.SlugRelatedField(slug_field="username", read_only=True)
    going_count = serializers.IntegerField(read_only=True)
    maybe_count = serializers.IntegerField(read_only=True)
    going = serializers.SerializerMethodField()

    class Meta:
        model = Meetup
        fields = [
            "id",
            "url",
            "title",
            "project",
            "team",
            "series",
            "kind",
            "start_date",
            "end_date",
            "place",
            "wiki_url",
            "etherpad_url",
            "capacity",
            "organiser",
            "description",
            "outcomes",
            "going_count",
            "maybe_count",
            "going",
        ]

    def get_going(self, meetup: Meetup) -> list[str]:
        """Usernames of the members going (prefetched by the list query)."""
        return [rsvp.user.username for rsvp in meetup.going_rsvps]


class RsvpSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Rsvp
        fields = ["user", "response", "updated_at"]
        read_only_fields = ["updated_at"]


class LinesField(serializers.ListField):
    """A list of links in the API, one link a line in the row."""

    child = serializers.URLField()

    def to_representation(self, value: str) -> list[str]:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def to_internal_value(self, data) -> str:
        return "\n".join(super().to_internal_value(data))


class _VisibleToRequester:
    """Related choices limited to what the requesting user may see."""

    visible: dict = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, query in self.visible.items():
            if name in fields and not fields[name].read_only:
                fields[name].queryset = query(user)
        return fields


class BoardMeetingSerializer(NamedRangesSerializer, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="boardmeeting-detail")
    attendees = serializers.SlugRelatedField(
        slug_field="username", many=True, queryset=User.objects.all(), required=False
    )
    item_count = serializers.IntegerField(read_only=True)
    start_time = LocalTimeField(required=False, allow_null=True)

    class Meta:
        model = BoardMeeting
        fields = [
            "id",
            "url",
            "date",
            "title",
            "place",
            "call_url",
            "start_time",
            "duration_minutes",
            "executive_session",
            "is_public",
            "attendees",
            "item_count",
        ]


class BoardItemSerializer(NamedRangesSerializer, _VisibleToRequester, serializers.ModelSerializer):
    visible = {"meeting": board_queries.meetings_for}
    url = serializers.HyperlinkedIdentityField(view_name="boarditem-detail")
    meeting = serializers.PrimaryKeyRelatedField(queryset=BoardMeeting.objects.none())
    summary_html = serializers.CharField(read_only=True)
    links = LinesField(required=False)

    class Meta:
        model = BoardItem
        fields = [
            "id",
            "url",
            "meeting",
            "position",
            "topic",
            "presenter",
            "summary",
            "summary_html",
            "decision",
            "status",
            "links",
            "executive_session",
        ]


class ActionItemSerializer(_VisibleToRequester, serializers.ModelSerializer):
    visible = {"item": board_queries.items_for}
    item = serializers.PrimaryKeyRelatedField(queryset=BoardItem.objects.none())
    owner = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.all(),
        error_messages={
            "required": "Every action item needs an owner.",
            "null": "Every action item needs an owner.",
            "does_not_exist": "No user is called “{value}”.",
        },
    )

    class Meta:
        model = ActionItem
        fields = ["id", "item", "description", "owner", "due_date", "status"]
