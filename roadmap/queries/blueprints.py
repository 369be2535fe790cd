"""Read side of the roadmap: list querysets, dependency graphs, counts, burndowns, the report."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from dashboard import permissions
from roadmap.choices import (
    PRIORITY_ORDER,
    DefinitionStatus,
    ImplementationStatus,
    LifecycleStatus,
    Priority,
)
from roadmap.models import (
    Blueprint,
    BlueprintDependency,
    BlueprintStatusChange,
    Milestone,
    Project,
    Series,
)

AT_RISK_HORIZON = datetime.timedelta(days=14)
UNTAGGED = "other"


def priority_rank() -> Case:
    return Case(
        *(When(priority=value, then=Value(rank)) for value, rank in PRIORITY_ORDER.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def blocking_dependency() -> Exists:
    """True when the blueprint depends on one that is not complete (Launchpad's is_blocked)."""
    return Exists(
        BlueprintDependency.objects.filter(blueprint=OuterRef("pk")).exclude(
            depends_on__lifecycle_status=LifecycleStatus.COMPLETE
        )
    )


def blueprints_for_list() -> QuerySet[Blueprint]:
    """Blueprints with everything a list row or an API entry shows, highest priority first."""
    dependencies = Blueprint.objects.select_related("project").only("name", "project__name")
    return (
        Blueprint.objects.select_related("project", "series", "milestone")
        .prefetch_related("tags", Prefetch("dependencies", queryset=dependencies))
        .annotate(priority_rank=priority_rank(), is_blocked=blocking_dependency())
        .order_by("-priority_rank", "project__name", "name")
    )


def projects_for_list() -> QuerySet[Project]:
    return (
        Project.objects.prefetch_related("leads")
        .annotate(blueprint_count=Count("blueprints", distinct=True))
        .order_by("name")
    )


def series_for_list() -> QuerySet[Series]:
    return Series.objects.prefetch_related("milestones").order_by("release_date", "name")


def milestones_for_list() -> QuerySet[Milestone]:
    return Milestone.objects.select_related("series").order_by("date", "name")


def series_named(name: str) -> QuerySet[Series]:
    return Series.objects.filter(name__iexact=name)


def projects_with_blueprints_in(series: Series) -> QuerySet[Project]:
    return Project.objects.filter(blueprints__series=series).distinct().order_by("name")


def blueprints_of_series(series: Series, project: Project | None = None) -> QuerySet[Blueprint]:
    qs = blueprints_for_list().filter(series=series)
    return qs.filter(project=project) if project else qs


def blueprints_of_milestone(milestone: Milestone, project: Project | None = None):
    qs = blueprints_for_list().filter(milestone=milestone)
    return qs.filter(project=project) if project else qs


@dataclass
class GraphNode:
    blueprint: Blueprint
    children: list["GraphNode"]
    repeated: bool = False  # already shown higher up: not expanded again


def dependency_graph(blueprint: Blueprint, *, reverse: bool = False, depth: int = 4):
    """What `blueprint` depends on (or, reversed, what waits on it), as a tree `depth` deep.

    One query per level, whatever the number of blueprints.
    """
    src, dst = ("depends_on_id", "blueprint_id") if reverse else ("blueprint_id", "depends_on_id")
    edges: dict[int, list[int]] = defaultdict(list)
    frontier, seen = {blueprint.pk}, {blueprint.pk}
    for _ in range(depth):
        if not frontier:
            break
        pairs = BlueprintDependency.objects.filter(**{f"{src}__in": frontier}).values_list(src, dst)
        following = set()
        for a, b in pairs:
            edges[a].append(b)
            if b not in seen:
                following.add(b)
        seen |= following
        frontier = following
    nodes = Blueprint.objects.select_related("project").in_bulk(seen)

    def build(pk: int, path: frozenset, level: int) -> list[GraphNode]:
        children = []
        for child in sorted(edges.get(pk, []), key=lambda c: str(nodes[c])):
            if child in path or level >= depth:
                children.append(GraphNode(nodes[child], [], repeated=True))
            else:
                children.append(GraphNode(nodes[child], build(child, path | {child}, level + 1)))
        return children

    return build(blueprint.pk, frozenset({blueprint.pk}), 1)


def status_counts(blueprints: QuerySet[Blueprint]) -> dict[str, list[tuple[str, int]]]:
    """Counts by priority, definition, implementation and lifecycle, in Launchpad's order."""
    base = blueprints.order_by()
    result = {}
    for key, choices in (
        ("priority", Priority),
        ("definition_status", DefinitionStatus),
        ("implementation_status", ImplementationStatus),
        ("lifecycle_status", LifecycleStatus),
    ):
        counts = dict(base.values_list(key).annotate(n=Count("pk", distinct=True)))
        result[key] = [(value, counts.get(value, 0)) for value in choices.values]
    return result


def work_per_assignee(blueprints: QuerySet[Blueprint]) -> list[dict]:
    """Per assignee: total, not started, started, complete (unassigned as "")."""
    rows = (
        blueprints.order_by()
        .values("assignee")
        .annotate(
            total=Count("pk", distinct=True),
            not_started=Count("pk", distinct=True, filter=Q(lifecycle_status="Not started")),
            started=Count("pk", distinct=True, filter=Q(lifecycle_status="Started")),
            complete=Count("pk", distinct=True, filter=Q(lifecycle_status="Complete")),
        )
        .order_by("-total", "assignee")
    )
    return list(rows)


def at_risk(blueprints: QuerySet[Blueprint], *, today: datetime.date | None = None):
    """Targeted to a milestone that is past or within two weeks, and not started or blocked."""
    today = today or timezone.localdate()
    return (
        blueprints.exclude(lifecycle_status=LifecycleStatus.COMPLETE)
        .filter(milestone__date__lte=today + AT_RISK_HORIZON)
        .filter(
            Q(lifecycle_status=LifecycleStatus.NOT_STARTED)
            | Q(implementation_status=ImplementationStatus.BLOCKED)
            | Q(is_blocked=True)
        )
        .order_by("milestone__date", "-priority_rank", "name")
    )


def window_of_milestone(milestone: Milestone) -> tuple[datetime.date, datetime.date]:
    """From the previous dated milestone of its series (or eight weeks before) to its date."""
    end = milestone.date or timezone.localdate()
    previous = (
        Milestone.objects.filter(series=milestone.series, date__lt=end, kind="milestone")
        .order_by("-date")
        .first()
    )
    start = previous.date if previous and previous.date else end - datetime.timedelta(weeks=8)
    return start, end


def window_of_series(series: Series) -> tuple[datetime.date, datetime.date]:
    """From the previous series' release to this one's release (about six months)."""
    end = series.release_date or timezone.localdate()
    previous = (
        Series.objects.filter(release_date__lt=end).order_by("-release_date").first()
        if series.release_date
        else None
    )
    start = previous.release_date if previous else end - datetime.timedelta(weeks=26)
    return start, end


def burndown(
    blueprints: QuerySet[Blueprint], start: datetime.date, end: datetime.date
) -> dict[str, list]:
    """Per day from `start` to `end` (or today): blueprints existing and open, and complete,
    and the ideal pace: from the scope (every blueprint the chart counts) on `start` straight
    down to 0 on `end`, the release or milestone date.

    A blueprint's state on a day is its last history point up to the end of that day; before
    its first point it does not count. One query, whatever the number of blueprints.
    """
    last = max(start, min(end, timezone.localdate()))  # no points in the future
    points = BlueprintStatusChange.objects.filter(
        blueprint__in=blueprints.order_by().values("pk")
    ).values_list("blueprint_id", "changed_at", "lifecycle_status")
    per_blueprint: dict[int, list] = defaultdict(list)
    for pk, at, lifecycle in points.order_by("changed_at", "id"):
        per_blueprint[pk].append((timezone.localdate(at), lifecycle))
    days, open_counts, done_counts = [], [], []
    day = start
    while day <= last:
        tally: Counter = Counter()
        for history in per_blueprint.values():
            state = None
            for when, lifecycle in history:
                if when > day:
                    break
                state = lifecycle
            if state is not None:
                tally["done" if state == LifecycleStatus.COMPLETE else "open"] += 1
        days.append(day.isoformat())
        open_counts.append(tally["open"])
        done_counts.append(tally["done"])
        day += datetime.timedelta(days=1)
    # Blueprints registered after `start` are scope too (on Juno, all of them were).
    scope = open_counts[-1] + done_counts[-1] if days else 0
    span = max((end - start).days, 1)
    ideal = [
        round(scope * max(0, (end - datetime.date.fromisoformat(day)).days) / span, 2)
        for day in days
    ]
    return {"days": days, "open": open_counts, "done": done_counts, "ideal": ideal}


def progress_of(blueprints: QuerySet[Blueprint], window: tuple) -> dict:
    """What a series or milestone page shows: counts, burndown, assignees, at-risk blueprints."""
    start, end = window
    return {
        "counts": status_counts(blueprints),
        "total": blueprints.count(),
        "burndown": burndown(blueprints, start, end),
        "assignees": work_per_assignee(blueprints),
        "at_risk": at_risk(blueprints)[:100],
    }


@dataclass
class ReportGroup:
    theme: str
    blueprints: list[Blueprint]


def release_preview(project: Project, series: Series) -> list[ReportGroup]:
    """The series' blueprints of `project` grouped by theme, each blueprint exactly once.

    A blueprint's theme is its first tag in alphabetical order; untagged ones go under "other".
    Within a theme: complete first, then started, then the rest, each by priority.
    """
    lifecycle_rank = {"Complete": 0, "Started": 1, "Not started": 2}
    groups: dict[str, list[Blueprint]] = defaultdict(list)
    for bp in blueprints_of_series(series, project):
        tags = sorted(tag.name for tag in bp.tags.all())
        groups[tags[0] if tags else UNTAGGED].append(bp)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == UNTAGGED, item[0]))
    return [
        ReportGroup(
            theme,
            sorted(
                items,
                key=lambda b: (lifecycle_rank[b.lifecycle_status], -b.priority_rank, b.name),
            ),
        )
        for theme, items in ordered
    ]


def recent_changes(project: Project, *, limit: int = 50) -> QuerySet[BlueprintStatusChange]:
    return (
        BlueprintStatusChange.objects.filter(blueprint__project=project)
        .select_related("blueprint", "blueprint__project", "milestone", "actor")
        .order_by("-changed_at", "-id")[:limit]
    )


def current_series() -> Series | None:
    """The latest series any blueprint aims at (the overview's "current" release)."""
    return (
        Series.objects.filter(blueprints__isnull=False).order_by("-release_date").distinct().first()
    )


def blueprints_named(
    project: Project | None, names: list[str]
) -> tuple[list[Blueprint], list[str]]:
    """Blueprints called `name` (in `project`) or `project/name`, and the names not found."""
    wanted = []
    for raw in names:
        other, _, name = raw.strip().rpartition("/")
        wanted.append((other or (project.name if project else ""), name))
    condition = Q(pk__in=[])
    for project_name, name in wanted:
        condition |= Q(project__name=project_name, name=name)
    found = {
        (bp.project.name, bp.name): bp
        for bp in Blueprint.objects.select_related("project").filter(condition)
    }
    missing = [f"{p}/{n}" for p, n in wanted if (p, n) not in found]
    return [found[key] for key in dict.fromkeys(wanted) if key in found], missing


def projects_editable_by(user) -> QuerySet[Project]:
    """The projects whose blueprints `user` may edit (all of them for admins)."""
    if permissions.is_cloud_admin(user):
        return Project.objects.all()
    if permissions.is_project_lead(user):
        return Project.objects.filter(leads=user)
    return Project.objects.none()


def series_counts_of(project: Project) -> list[dict]:
    """Per series goal of `project`: total and complete, newest series first."""
    return list(
        Blueprint.objects.filter(project=project)
        .order_by()
        .values("series__name", "series__release_date")
        .annotate(
            total=Count("pk"),
            complete=Count("pk", filter=Q(lifecycle_status=LifecycleStatus.COMPLETE)),
            started=Count("pk", filter=Q(lifecycle_status=LifecycleStatus.STARTED)),
        )
        .order_by("-series__release_date")
    )


def milestone_counts_of(series: Series, project: Project | None = None) -> list[dict]:
    """Per milestone of `series`: its date and how many of its blueprints are complete."""
    condition = Q(blueprints__series=series)
    if project:
        condition &= Q(blueprints__project=project)
    return list(
        Milestone.objects.filter(series=series)
        .annotate(
            total=Count("blueprints", filter=condition),
            complete=Count(
                "blueprints", filter=condition & Q(blueprints__lifecycle_status="Complete")
            ),
        )
        .order_by("date", "name")
        .values("name", "date", "kind", "total", "complete")
    )


def by_name(rows: QuerySet, name: str):
    """The row called `name`, as people type it: the exact name first, else the one name that
    differs only in case (None if there is none). New names may not differ only in case."""
    exact = rows.filter(name=name).first()
    if exact is not None:
        return exact
    matches = list(rows.filter(name__iexact=name)[:2])
    return matches[0] if len(matches) == 1 else None
