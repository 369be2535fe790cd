"""Load release series and milestones from openstack-series.json (for a migration, a command)."""

import json
from datetime import date
from pathlib import Path

SERIES_FILE = Path(__file__).resolve().parents[1] / "data" / "openstack-series.json"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_release_calendar(
    series_model, milestone_model, path: Path = SERIES_FILE
) -> tuple[int, int]:
    """Create or update every series and milestone of the file; returns (series, milestones)."""
    data = json.loads(path.read_text())
    milestone_count = 0
    for entry in data["series"]:
        series, _ = series_model.objects.update_or_create(
            name=entry["name"],
            defaults={
                "version": entry.get("version") or "",
                "nova_version": entry.get("nova_version") or "",
                "release_date": _date(entry.get("release_date")),
                "eol_date": _date(entry.get("eol_date")),
                "status": entry["status"],
            },
        )
        for milestone in entry["milestones"]:
            milestone_model.objects.update_or_create(
                name=milestone["name"],
                defaults={
                    "series": series,
                    "title": milestone.get("title") or "",
                    "kind": milestone["kind"],
                    "date": _date(milestone.get("date")),
                },
            )
            milestone_count += 1
    return len(data["series"]), milestone_count
