"""The release preview ("what to expect in <series>") as data, Markdown and JSON."""

from django.utils import timezone

from roadmap.models import Project, Series
from roadmap.queries.blueprints import ReportGroup, release_preview

LIFECYCLE_MARK = {"Complete": "done", "Started": "in progress", "Not started": "not started"}


def release_preview_data(project: Project, series: Series) -> dict:
    """JSON-ready: each theme with its blueprints (every blueprint of the series once)."""
    groups = release_preview(project, series)
    return _as_dict(project, series, groups)


def _as_dict(project: Project, series: Series, groups: list[ReportGroup]) -> dict:
    counts = {"Complete": 0, "Started": 0, "Not started": 0}
    themes = []
    for group in groups:
        items = []
        for bp in group.blueprints:
            counts[bp.lifecycle_status] += 1
            items.append(
                {
                    "name": bp.name,
                    "title": bp.title,
                    "summary": bp.summary,
                    "priority": bp.priority,
                    "definition_status": bp.definition_status,
                    "implementation_status": bp.implementation_status,
                    "lifecycle_status": bp.lifecycle_status,
                    "assignee": bp.assignee,
                    "milestone": bp.milestone.name if bp.milestone else None,
                    "tags": sorted(tag.name for tag in bp.tags.all()),
                    "specification_url": bp.specification_url,
                }
            )
        themes.append({"theme": group.theme, "blueprints": items})
    return {
        "project": project.name,
        "series": series.slug,
        "generated_at": timezone.now().isoformat(),
        "counts": counts,
        "total": sum(counts.values()),
        "themes": themes,
    }


def _md(text: str) -> str:
    """Text safe inside a Markdown line: no markup characters take effect."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def release_preview_markdown(project: Project, series: Series) -> str:
    data = release_preview_data(project, series)
    counts = data["counts"]
    lines = [
        f"# What to expect in {_md(project.title or project.name)} {series.name}",
        "",
        f"{data['total']} blueprints: {counts['Complete']} done, {counts['Started']} in "
        f"progress, {counts['Not started']} not started.",
    ]
    for theme in data["themes"]:
        lines += ["", f"## {_md(theme['theme'])}", ""]
        for item in theme["blueprints"]:
            who = f", {_md(item['assignee'])}" if item["assignee"] else ""
            where = f", {item['milestone']}" if item["milestone"] else ""
            lines.append(
                f"- **{_md(item['title'])}** (`{item['name']}`) — "
                f"{LIFECYCLE_MARK[item['lifecycle_status']]}: {item['implementation_status']}"
                f"{where}{who}"
            )
            if item["summary"]:
                lines.append(f"  {_md(item['summary'])}")
    return "\n".join(lines) + "\n"
