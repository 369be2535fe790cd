"""Writes of blueprints: create, update, delete, dependencies without cycles, history, import."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dashboard import audit, locks
from dashboard.errors import Conflict, DomainError, conflict_from
from roadmap.choices import DefinitionStatus, ImplementationStatus, LifecycleStatus
from roadmap.importers.launchpad import Collection, Entry, ImportRefused
from roadmap.models import (
    Blueprint,
    BlueprintDependency,
    BlueprintStatusChange,
    Milestone,
    Project,
    Series,
    Tag,
)
from roadmap.services.projects import project_named


class DependencyCycle(Conflict):
    """A dependency that would make blueprints wait on themselves (409: the graph as it is now
    refuses it, as the loser of two crossed edits learns)."""


# Dependency edits check the whole graph, then write: they take this lock in turn.
DEPENDENCY_GRAPH = "roadmap.blueprint-dependencies"


class MilestoneNotInSeries(DomainError):
    pass


def _check_milestone(blueprint: Blueprint) -> None:
    # A milestone target implies its series as the goal; a different explicit goal is a mistake.
    if blueprint.milestone_id is None:
        return
    if blueprint.series_id is None:
        blueprint.series = blueprint.milestone.series
    elif blueprint.milestone.series_id != blueprint.series_id:
        raise MilestoneNotInSeries(
            f"Milestone {blueprint.milestone.name} belongs to {blueprint.milestone.series.name}, "
            f"not to the series goal {blueprint.series.name}.",
            field="milestone",
        )


def _history_key(bp: Blueprint) -> tuple:
    return (bp.definition_status, bp.implementation_status, bp.lifecycle_status, bp.milestone_id)


def _record_status(bp: Blueprint, *, actor, at: datetime, note: str = "") -> BlueprintStatusChange:
    return BlueprintStatusChange.objects.create(
        blueprint=bp,
        changed_at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        definition_status=bp.definition_status,
        implementation_status=bp.implementation_status,
        lifecycle_status=bp.lifecycle_status,
        milestone_id=bp.milestone_id,
        note=note[:200],
    )


def _set_tags(bp: Blueprint, names: list[str]) -> None:
    wanted = sorted({name.strip().lower() for name in names if name.strip()})
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=wanted)}
    for name in wanted:
        if name not in existing:
            tag = Tag(name=name)
            tag.full_clean()
            tag.save()
            existing[name] = tag
    bp.tags.set(existing.values())


def find_cycle(blueprint: Blueprint, dependencies: list[Blueprint]) -> list[Blueprint] | None:
    """The blueprints of the cycle these dependencies would close, from `blueprint` back to it."""
    if blueprint.pk is None:
        return None  # nothing can depend on a blueprint not yet created
    if any(dep.pk == blueprint.pk for dep in dependencies):
        return [blueprint, blueprint]
    parent = {dep.pk: blueprint.pk for dep in dependencies}
    frontier = list(parent)
    closing = None
    while frontier and closing is None:  # breadth first: one query per level
        following = []
        edges = BlueprintDependency.objects.filter(blueprint_id__in=frontier).values_list(
            "blueprint_id", "depends_on_id"
        )
        for source, target in edges:
            if target == blueprint.pk:
                closing = source
                break
            if target not in parent:
                parent[target] = source
                following.append(target)
        frontier = following
    if closing is None:
        return None
    path = [closing]
    while path[-1] != blueprint.pk:
        path.append(parent[path[-1]])
    ids = [blueprint.pk, *reversed(path[:-1]), blueprint.pk]
    by_id = Blueprint.objects.select_related("project").in_bulk(set(ids))
    return [by_id[pk] for pk in ids]


def _set_dependencies(bp: Blueprint, dependencies: list[Blueprint]) -> None:
    cycle = find_cycle(bp, dependencies)
    if cycle:
        names = " → ".join(str(item) for item in cycle)
        raise DependencyCycle(
            f"These dependencies would make a cycle: {names}.", field="dependencies"
        )
    bp.dependencies.set(dependencies)


class BlueprintNameTaken(DomainError):
    pass


def _save(bp: Blueprint) -> None:
    _check_milestone(bp)
    taken = BlueprintNameTaken(
        f"{bp.project.name} already has a blueprint called {bp.name}.", field="name"
    )
    # Unique ignoring case, as the index blueprint_name_per_project_ignoring_case holds.
    twins = Blueprint.objects.filter(project=bp.project, name__iexact=bp.name).exclude(pk=bp.pk)
    if twins.exists():
        raise taken
    # The index decides a race with a concurrent create; its refusal is this check's, in words.
    bp.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            bp.save()
    except IntegrityError as error:
        conflict = conflict_from(error)
        if conflict is None or conflict.field != "name":
            raise
        raise taken from error


def create_blueprint(
    project: Project,
    *,
    actor,
    tags: list[str] = (),
    dependencies: list[Blueprint] = (),
    **fields: Any,
) -> Blueprint:
    """Create a blueprint with its first history point; refuses what its field rules refuse."""
    now = timezone.now()
    with transaction.atomic():
        if dependencies:
            locks.transaction_lock(DEPENDENCY_GRAPH)
        bp = Blueprint(project=project, date_created=now, updated_at=now, **fields)
        bp.refresh_lifecycle(now)
        _save(bp)
        _set_tags(bp, list(tags))
        _set_dependencies(bp, list(dependencies))
        _record_status(bp, actor=actor, at=now, note="created")
        audit.record_create(actor=actor, obj=bp)
    return bp


def update_blueprint(
    blueprint: Blueprint,
    *,
    actor,
    tags: list[str] | None = None,
    dependencies: list[Blueprint] | None = None,
    **fields: Any,
) -> Blueprint:
    """Change fields, tags or dependencies; a status or target change adds a history point."""
    now = timezone.now()
    with transaction.atomic(), audit.recording(actor=actor, obj=blueprint):
        if dependencies is not None:  # before any row lock: one graph change at a time
            locks.transaction_lock(DEPENDENCY_GRAPH)
        Blueprint.objects.select_for_update().filter(pk=blueprint.pk).first()
        before = _history_key(blueprint)
        for name, value in fields.items():
            setattr(blueprint, name, value)
        if "milestone" in fields and "series" not in fields and blueprint.milestone_id:
            blueprint.series = None  # re-derived from the new milestone
        blueprint.refresh_lifecycle(now)
        blueprint.updated_at = now
        _save(blueprint)
        if tags is not None:
            _set_tags(blueprint, tags)
        if dependencies is not None:
            _set_dependencies(blueprint, dependencies)
        if _history_key(blueprint) != before:
            _record_status(blueprint, actor=actor, at=now, note="status changed")
    return blueprint


def delete_blueprint(blueprint: Blueprint, *, actor) -> None:
    with transaction.atomic(), audit.recording_delete(actor=actor, obj=blueprint):
        blueprint.delete()


@dataclass
class ImportResult:
    project: Project
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    flagged: dict[str, dict[str, str]] = field(default_factory=dict)

    def summary(self) -> str:
        text = (
            f"{self.project.name}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} not public (skipped)"
        )
        if self.flagged:
            flags = "; ".join(
                f"{name}: " + ", ".join(f"{key}={value!r}" for key, value in sorted(values.items()))
                for name, values in sorted(self.flagged.items())
            )
            text += f"; kept and flagged unknown values — {flags}"
        return text

    def as_dict(self) -> dict:
        return {
            "project": self.project.name,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "flagged": self.flagged,
        }


def _imported_history(bp: Blueprint, *, actor) -> None:
    """History of a new imported blueprint, from Launchpad's dates (its only record of time).

    Launchpad does not export earlier statuses: the first point is "registered, not started"
    (Launchpad's defaults where the present statuses would contradict that).
    """
    not_started = bp.lifecycle_status == LifecycleStatus.NOT_STARTED
    BlueprintStatusChange.objects.create(
        blueprint=bp,
        changed_at=bp.date_created,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        definition_status=bp.definition_status if bp.valid else DefinitionStatus.NEW,
        implementation_status=(
            bp.implementation_status if not_started else ImplementationStatus.UNKNOWN
        ),
        lifecycle_status=LifecycleStatus.NOT_STARTED,
        milestone_id=bp.milestone_id,
        note="imported: registered",
    )
    if not not_started:
        if bp.is_complete and bp.date_completed:
            at = bp.date_completed
        else:
            at = bp.date_started or bp.date_completed or bp.date_created
        _record_status(bp, actor=actor, at=at, note="imported: " + bp.lifecycle_status.lower())


def _import_values(entry: Entry, milestones: dict[str, Milestone], series: Series | None) -> tuple:
    values = dict(entry.values)
    unmapped = dict(entry.unmapped)
    milestone = milestones.get(entry.milestone_name) if entry.milestone_name else None
    if entry.milestone_name and milestone is None:
        unmapped["milestone"] = entry.milestone_name
    if milestone and series and milestone.series_id != series.pk:
        unmapped["milestone"] = entry.milestone_name  # targeted outside the goal: keep, flag
        milestone = None
    values["milestone"] = milestone
    values["series"] = series or (milestone.series if milestone else None)
    values["unmapped_values"] = unmapped
    return values, unmapped


def import_launchpad_collection(
    project_name: str, collection: Collection, *, actor, series: Series | None = None
) -> ImportResult:
    """Create or update every entry of a checked collection, all in one transaction.

    Identity is (project, name): re-importing updates in place and a second identical import
    writes nothing. Without `series`, a blueprint keeps the series goal it already has.
    """
    now = timezone.now()
    with transaction.atomic():
        project = project_named(project_name, actor=actor)
        names = [entry.name for entry in collection.entries]
        existing = {
            bp.name: bp
            for bp in Blueprint.objects.filter(project=project, name__in=names)
            .select_related("project", "series", "milestone")
            .prefetch_related("tags")
        }
        wanted_milestones = {e.milestone_name for e in collection.entries if e.milestone_name}
        milestones = {
            m.name: m
            for m in Milestone.objects.filter(name__in=wanted_milestones).select_related("series")
        }
        result = ImportResult(project=project, skipped=list(collection.skipped))
        problems = []
        for entry in collection.entries:
            try:
                _import_entry(project, entry, existing, milestones, series, result, actor, now)
            except ValidationError as error:  # the parser's checks missed a column rule
                problems.append(f"entry {entry.name}: {'; '.join(error.messages)}.")
        if problems:
            raise ImportRefused(problems)  # rolls the whole import back
    return result


def _import_entry(project, entry, existing, milestones, series, result, actor, now) -> None:
    values, unmapped = _import_values(entry, milestones, series)
    if unmapped:
        result.flagged[entry.name] = unmapped
    bp = existing.get(entry.name)
    if bp is None:
        _create_imported(project, entry, values, actor=actor, now=now)
        result.created.append(entry.name)
    elif _update_imported(bp, entry, values, actor=actor, now=now, keep_series=not series):
        result.updated.append(entry.name)
    else:
        result.unchanged.append(entry.name)


def _create_imported(project, entry: Entry, values: dict, *, actor, now) -> Blueprint:
    values = dict(values)
    values["date_created"] = values["date_created"] or now
    bp = Blueprint(project=project, name=entry.name, updated_at=now, **values)
    bp.refresh_lifecycle(values["date_completed"] or values["date_started"] or now)
    # Launchpad's own stamps win over ours (it knows when the work started and ended).
    bp.date_started = values["date_started"] if bp.is_started else None
    bp.date_completed = values["date_completed"] if bp.is_complete else None
    _save(bp)
    if entry.tags:
        _set_tags(bp, entry.tags)
    _imported_history(bp, actor=actor)
    audit.record_create(actor=actor, obj=bp)
    return bp


def _update_imported(bp: Blueprint, entry: Entry, values: dict, *, actor, now, keep_series) -> bool:
    values = dict(values)
    if keep_series and values["series"] is None:
        values.pop("series")
    if values["date_created"] is None:
        values.pop("date_created")
    changed = [name for name, value in values.items() if getattr(bp, name) != value]
    tags_changed = entry.tags is not None and sorted(entry.tags) != sorted(
        tag.name for tag in bp.tags.all()
    )
    if not changed and not tags_changed:
        return False
    with audit.recording(actor=actor, obj=bp):
        before = _history_key(bp)
        for name in changed:
            setattr(bp, name, values[name])
        bp.refresh_lifecycle(now)
        bp.date_started = values["date_started"] if bp.is_started else None
        bp.date_completed = values["date_completed"] if bp.is_complete else None
        bp.updated_at = now
        _save(bp)
        if tags_changed:
            _set_tags(bp, entry.tags)
        if _history_key(bp) != before:
            at = bp.date_completed if bp.is_complete and bp.date_completed else now
            _record_status(bp, actor=actor, at=at, note="imported: status changed")
    return True
