"""Blueprint create/edit and the Launchpad upload form (leads and admins)."""

import re

from django import forms

from roadmap.models import Blueprint, Milestone, Project, Series
from roadmap.models.blueprints import BLUEPRINT_NAME_PATTERN
from roadmap.queries.blueprints import blueprints_named

SPLIT = re.compile(r"[\s,]+")


class BlueprintForm(forms.ModelForm):
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

    def __init__(self, *args, projects=None, **kwargs):
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
        self.fields["milestone"].queryset = Milestone.objects.select_related("series").order_by(
            "-date"
        )
        self.fields["name"].help_text = f"Launchpad's pattern {BLUEPRINT_NAME_PATTERN}"

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


class LaunchpadImportForm(forms.Form):
    file = forms.FileField(
        help_text="A Launchpad collection page (JSON), e.g. a series' all_specifications."
    )
    series = forms.ModelChoiceField(
        queryset=Series.objects.order_by("-release_date"),
        required=False,
        help_text="Series goal of every imported blueprint (Launchpad's entries do not say).",
    )
