"""Forms of meetup pages: shape and types only; the services decide the rules."""

from django import forms

from dashboard.ranges import NamedRanges
from roadmap.choices import RsvpResponse
from roadmap.forms.handling import ShapeOnly, WordedEmptyChoices, https_by_default
from roadmap.models import Meetup, Series


class MeetupForm(NamedRanges, WordedEmptyChoices, ShapeOnly, forms.ModelForm):
    empty_labels = {"project": "No project (cross-project)", "series": "Choose a series"}

    series = forms.ModelChoiceField(
        queryset=Series.objects.order_by("-release_date"),
        error_messages={"invalid_choice": "Unknown series: pick one of the release series."},
    )

    class Meta:
        formfield_callback = https_by_default
        model = Meetup
        fields = [
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
            "description",
            "outcomes",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"wiki_url": "Wiki URL", "etherpad_url": "Etherpad URL"}


class RsvpForm(forms.Form):
    response = forms.ChoiceField(choices=RsvpResponse.choices, widget=forms.RadioSelect)
