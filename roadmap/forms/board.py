"""Forms of board pages: shape and types only; the services decide the rules."""

from django import forms
from django.contrib.auth import get_user_model

from dashboard.ranges import NamedRanges
from roadmap.forms.handling import ShapeOnly, WordedEmptyChoices, https_by_default
from roadmap.models import ActionItem, BoardItem, BoardMeeting


class BoardMeetingForm(NamedRanges, ShapeOnly, forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.order_by("username"), required=False
    )

    class Meta:
        formfield_callback = https_by_default
        model = BoardMeeting
        fields = [
            "title",
            "date",
            "start_time",
            "duration_minutes",
            "place",
            "call_url",
            "executive_session",
            "attendees",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"call_url": "Call URL", "duration_minutes": "Duration (minutes)"}


class BoardItemForm(NamedRanges, ShapeOnly, forms.ModelForm):
    class Meta:
        formfield_callback = https_by_default
        model = BoardItem
        fields = [
            "position",
            "topic",
            "presenter",
            "summary",
            "decision",
            "status",
            "links",
            "executive_session",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "decision": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"summary": "Markdown.", "links": "One link a line."}


class ActionItemForm(WordedEmptyChoices, ShapeOnly, forms.ModelForm):
    empty_labels = {"owner": "Choose an owner"}

    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"),
        error_messages={"required": "Every action item needs an owner."},
    )

    class Meta:
        formfield_callback = https_by_default
        model = ActionItem
        fields = ["description", "owner", "due_date", "status"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}
