"""Roadmap models; each area in its own module, re-exported here."""

from roadmap.models.blueprints import Blueprint, BlueprintDependency, BlueprintStatusChange, Tag
from roadmap.models.board import ActionItem, BoardItem, BoardMeeting
from roadmap.models.meetups import Meetup, Rsvp
from roadmap.models.projects import Milestone, Project, Series

__all__ = [
    "ActionItem",
    "Blueprint",
    "BlueprintDependency",
    "BlueprintStatusChange",
    "BoardItem",
    "BoardMeeting",
    "Meetup",
    "Milestone",
    "Project",
    "Rsvp",
    "Series",
    "Tag",
]
