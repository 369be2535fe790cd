"""Serializers of projects, series, milestones and blueprints, in Launchpad's names and strings."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework import serializers

from roadmap.models import Blueprint, Milestone, Project, Series
from roadmap.models.blueprints import blueprint_name
from roadmap.queries.blueprints import blueprints_named, by_name
from roadmap.services import blueprints as blueprint_services


class NameField(serializers.SlugRelatedField):
    """A related object by name, case-insensitively ("juno" finds Juno); read back lowercase."""

    def __init__(self, *, lower: bool = False, **kwargs):
        self.lower = lower
        super().__init__(slug_field="name", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        found = by_name(self.get_queryset(), data)
        if found is None:
            self.fail("does_not_exist", slug_name="name", value=data)
        return found

    def to_representation(self, obj):
        return obj.name.lower() if self.lower else obj.name


class ProjectSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-project-detail", lookup_field="name")
    leads = serializers.SlugRelatedField(
        slug_field="username", many=True, required=False, queryset=get_user_model().objects.all()
    )

    class Meta:
        model = Project
        fields = ["url", "name", "title", "description", "leads"]


class SeriesSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    milestones = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Series
        fields = [
            "url",
            "name",
            "version",
            "nova_version",
            "release_date",
            "eol_date",
            "status",
            "milestones",
        ]

    def get_url(self, series: Series) -> str:
        path = reverse("api-series-detail", args=[series.slug])
        return self.context["request"].build_absolute_uri(path)

    def to_representation(self, series: Series) -> dict:
        # Read as the pages show it: a released series is no longer "development".
        return {**super().to_representation(series), "status": series.current_status}


class MilestoneSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-milestone-detail", lookup_field="name"
    )
    series = NameField(lower=True, queryset=Series.objects.all())

    class Meta:
        model = Milestone
        fields = ["url", "name", "series", "title", "kind", "date"]


class TagsField(serializers.ListField):
    def to_representation(self, tags) -> list[str]:
        return sorted(tag.name for tag in tags.all())  # prefetched by the list query


class DependenciesField(serializers.ListField):
    """Names of the blueprints depended on; "project/name" when in another project."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, bp: Blueprint) -> list[str]:
        return sorted(
            dep.name if dep.project_id == bp.project_id else f"{dep.project.name}/{dep.name}"
            for dep in bp.dependencies.all()
        )


class LaunchpadLinkField(serializers.URLField):
    """A read-only Launchpad link: null when the blueprint has none (the model stores "")."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class BlueprintSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-blueprint-detail")
    project = NameField(queryset=Project.objects.all())
    series = NameField(lower=True, queryset=Series.objects.all(), required=False, allow_null=True)
    milestone = NameField(queryset=Milestone.objects.all(), required=False, allow_null=True)
    tags = TagsField(
        child=serializers.CharField(max_length=50, validators=[blueprint_name]), required=False
    )
    dependencies = DependenciesField(
        child=serializers.CharField(max_length=201),
        required=False,
        help_text='Names of blueprints this one depends on; "project/name" for another project.',
    )
    is_started = serializers.BooleanField(read_only=True)
    is_complete = serializers.BooleanField(read_only=True)
    is_blocked = serializers.BooleanField(read_only=True, default=False)
    gerrit_changes = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    self_link = LaunchpadLinkField()
    web_link = LaunchpadLinkField()

    class Meta:
        model = Blueprint
        fields = [
            "id",
            "url",
            "project",
            "name",
            "title",
            "summary",
            "specification_url",
            "whiteboard",
            "workitems_text",
            "priority",
            "definition_status",
            "implementation_status",
            "lifecycle_status",
            "direction_approved",
            "information_type",
            "is_started",
            "is_complete",
            "is_blocked",
            "owner",
            "assignee",
            "drafter",
            "approver",
            "series",
            "milestone",
            "tags",
            "dependencies",
            "date_created",
            "date_started",
            "date_completed",
            "self_link",
            "web_link",
            "unmapped_values",
            "gerrit_changes",
        ]
        read_only_fields = [
            "lifecycle_status",
            "information_type",
            "owner",
            "date_created",
            "date_started",
            "date_completed",
            "self_link",
            "web_link",
            "unmapped_values",
        ]
        validators = []  # (project, name) uniqueness is the service's full_clean, field "name"

    def validate(self, attrs: dict) -> dict:
        names = attrs.get("dependencies")
        if names is not None:
            project = attrs.get("project") or getattr(self.instance, "project", None)
            attrs["dependencies"] = resolve_dependencies(project, names)
        return attrs

    def create(self, validated: dict) -> Blueprint:
        project = validated.pop("project")
        return blueprint_services.create_blueprint(
            project, actor=self.context["request"].user, **validated
        )

    def update(self, bp: Blueprint, validated: dict) -> Blueprint:
        return blueprint_services.update_blueprint(
            bp, actor=self.context["request"].user, **validated
        )


def resolve_dependencies(project: Project | None, names: list[str]) -> list[Blueprint]:
    found, missing = blueprints_named(project, names)
    if missing:
        raise serializers.ValidationError(
            {"dependencies": f"No such blueprint: {', '.join(missing)}."}
        )
    return found


class ImportSerializer(serializers.Serializer):
    project = serializers.CharField(max_length=100, validators=[blueprint_name])
    series = NameField(queryset=Series.objects.all(), required=False, allow_null=True)
    file = serializers.FileField(
        required=False, help_text="A collection page as Launchpad sends it"
    )
    collection = serializers.JSONField(required=False, help_text="The same page, inline")

    def validate(self, attrs: dict) -> dict:
        if ("file" in attrs) == ("collection" in attrs):
            raise serializers.ValidationError({"file": "Send either a file or a collection."})
        return attrs
