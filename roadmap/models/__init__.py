"""Roadmap models; each area in its own module, re-exported here."""

from roadmap.models.projects import Milestone, Project, Series

__all__ = ["Milestone", "Project", "Series"]
