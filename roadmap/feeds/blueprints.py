"""Atom feed of a project's blueprint changes (creations and status changes), newest first."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from roadmap.models import BlueprintStatusChange, Project
from roadmap.queries.blueprints import recent_changes


class ProjectBlueprintFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, project_name: str) -> Project:
        return get_object_or_404(Project, name=project_name)

    def title(self, project: Project) -> str:
        return f"Blueprint changes of {project.title or project.name}"

    def link(self, project: Project) -> str:
        return reverse("roadmap:project_detail", args=[project.name])

    def subtitle(self, project: Project) -> str:
        return f"New blueprints and status changes in {project.name}."

    def items(self, project: Project):
        return recent_changes(project)

    def item_title(self, change: BlueprintStatusChange) -> str:
        bp = change.blueprint
        target = f" ({change.milestone.name})" if change.milestone else ""
        return f"{bp.name}: {change.implementation_status}, {change.lifecycle_status}{target}"

    def item_description(self, change: BlueprintStatusChange) -> str:
        note = change.note or "changed"
        return f"{change.blueprint.title} — {note}; definition {change.definition_status}."

    def item_link(self, change: BlueprintStatusChange) -> str:
        bp = change.blueprint
        return reverse("roadmap:blueprint_detail", args=[bp.project.name, bp.name])

    def item_guid(self, change: BlueprintStatusChange) -> str:
        return f"blueprint-change-{change.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, change: BlueprintStatusChange):
        return change.changed_at

    def item_updateddate(self, change: BlueprintStatusChange):
        return change.changed_at

    def item_author_name(self, change: BlueprintStatusChange) -> str:
        return change.actor.get_username() if change.actor else "Launchpad import"
