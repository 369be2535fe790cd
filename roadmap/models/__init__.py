"""Roadmap models; each area in its own module, re-exported here."""

from roadmap.models.blueprints import Blueprint, BlueprintDependency, BlueprintStatusChange, Tag
from roadmap.models.projects import Milestone, Project, Series

__all__ = [
    "Blueprint",
    "BlueprintDependency",
    "BlueprintStatusChange",
    "Milestone",
    "Project",
    "Series",
    "Tag",
]
