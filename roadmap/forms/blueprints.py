"""Blueprint create/edit and the Launchpad upload form (leads and admins)."""

import re

from django import forms

from roadmap.forms.handling import WordedEmptyChoices
from roadmap.models import Blueprint, Milestone, Project, Series
from roadmap.models.blueprints import BLUEPRINT_NAME_PATTERN
from roadmap.queries.blueprints import blueprints_named

SPLIT = re.compile(r"[\s,]+")


class BlueprintForm(WordedEmptyChoices, forms.ModelForm):
    empty_labels = {
        "project": "Choose a project",
        "assignee": "Nobody",
        "drafter": "Nobody",
        "approver": "Nobody",
        "series": "No series goal",
        "milestone": "No milestone target",
    }
    specification_url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Specification URL"
    )
    tags = forms.CharField(
        required=False, help_text="Sub-teams or themes, e.g. nfv scheduler (space or comma)."
    )
    dependencies = forms.CharField(
        required=False,
        help_text='Blueprints this one depends on: names, or "project/name" for another project.',
    )

    class Meta:
        model = Blueprint
        fields = [
            "project",
            "name",
            "title",
            "summary",
            "specification_url",
            "priority",
            "definition_status",
            "implementation_status",
            "direction_approved",
            "assignee",
            "drafter",
            "approver",
            "series",
            "milestone",
            "whiteboard",
            "workitems_text",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "whiteboard": forms.Textarea(attrs={"rows": 4}),
            "workitems_text": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"series": "Series goal", "milestone": "Milestone target"}

    def __init__(self, *args, projects=None, refresh_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["project"]  # moving a blueprint is not an edit
            self.initial["tags"] = " ".join(t.name for t in self.instance.tags.all())
            self.initial["dependencies"] = " ".join(
                d.name if d.project_id == self.instance.project_id else str(d)
                for d in self.instance.dependencies.all()
            )
        else:
            self.fields["project"].queryset = projects if projects is not None else Project.objects
            self.fields["project"].to_field_name = "name"
        self.fields["series"].queryset = Series.objects.order_by("-release_date")
        self._offer_milestones_of(self._chosen_series())
        if refresh_url:
            # A new series goal re-renders the milestone field with that series' milestones.
            self.fields["series"].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-target": "#milestone-field",
                    "hx-swap": "outerHTML",
                    "hx-include": "[name=milestone]",
                }
            )
        self.fields["name"].help_text = f"Launchpad's pattern {BLUEPRINT_NAME_PATTERN}"

    def _chosen_series(self) -> Series | None:
        """The series goal as entered (or as it is), else the series of the milestone entered."""
        source = self.data if self.is_bound else {**self.initial}
        if not self.is_bound and self.instance.pk:
            source.setdefault("series", self.instance.series_id)
        series = _pk(source.get("series"))
        if series is None and (milestone := _pk(source.get("milestone"))) is not None:
            series = Milestone.objects.filter(pk=milestone).values_list("series", flat=True).first()
        return Series.objects.filter(pk=series).first() if series is not None else None

    def _offer_milestones_of(self, series: Series | None) -> None:
        field = self.fields["milestone"]
        if series is None:
            # Any milestone is valid without a goal (it implies its series), but none is offered
            # until a goal is chosen: a list of every series' milestones is no choice at all.
            field.queryset = Milestone.objects.order_by("date", "name")
            field.widget.choices = [("", field.empty_label)]
            field.help_text = "Choose a series goal to target one of its milestones."
            return
        field.queryset = Milestone.objects.filter(series=series).order_by("date", "name")
        field.error_messages["invalid_choice"] = (
            f"Choose a milestone of {series.name}, the series goal, or another goal first."
        )

    def clean_tags(self) -> list[str]:
        names = [n.lower() for n in SPLIT.split(self.cleaned_data["tags"]) if n]
        bad = [n for n in names if not re.match(BLUEPRINT_NAME_PATTERN, n)]
        if bad:
            raise forms.ValidationError(f"Not a tag name: {', '.join(bad)}.")
        return names

    def clean(self):
        cleaned = super().clean()
        raw = self.cleaned_data.get("dependencies") or ""
        project = cleaned.get("project") or (self.instance.project if self.instance.pk else None)
        found, missing = blueprints_named(project, [n for n in SPLIT.split(raw) if n])
        if missing:
            self.add_error("dependencies", f"No such blueprint: {', '.join(missing)}.")
        cleaned["dependencies"] = found
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values as the services take them (project apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "project"}


def _pk(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


class LaunchpadImportForm(WordedEmptyChoices, forms.Form):
    empty_labels = {"series": "No series goal"}

    file = forms.FileField(
        help_text="A Launchpad collection page (JSON), e.g. a series' all_specifications."
    )
    series = forms.ModelChoiceField(
        queryset=Series.objects.order_by("-release_date"),
        required=False,
        help_text="Series goal of every imported blueprint (Launchpad's entries do not say).",
    )
