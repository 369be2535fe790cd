"""Read Launchpad web-service collection pages of specifications and check every entry.

Shape and vocabularies: launchpad-blueprint-shape.md §2, §3, §6. Nothing here writes: the entries
come back as plain values, or the whole collection is refused with one line per bad entry.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import Request, urlopen

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from dashboard.errors import DomainError
from dashboard.request_guard import MAX_JSON_DEPTH, bad_text_in, json_depth
from roadmap.choices import DefinitionStatus, ImplementationStatus, InformationType, Priority
from roadmap.models.blueprints import BLUEPRINT_NAME_PATTERN

NAME = re.compile(BLUEPRINT_NAME_PATTERN)
TEXT_FIELDS = ("summary", "specification_url", "whiteboard", "workitems_text")
LINK_FIELDS = ("owner_link", "assignee_link", "drafter_link", "approver_link", "milestone_link")
OTHER_STRING_FIELDS = ("self_link", "web_link", "lifecycle_status", "information_type")
DATE_FIELDS = ("date_created", "date_started", "date_completed")
# Unknown values of these enums are kept (in `unmapped`) and replaced by Launchpad's default.
ENUMS = {
    "priority": (Priority, Priority.UNDEFINED),
    "definition_status": (DefinitionStatus, DefinitionStatus.NEW),
    "implementation_status": (ImplementationStatus, ImplementationStatus.UNKNOWN),
}
# The longest values our columns hold (Blueprint's max_length).
MAX_LENGTHS = {
    "name": 100,
    "title": 200,
    "specification_url": 500,
    "self_link": 500,
    "web_link": 500,
}
MAX_PERSON_ID = 100
MAX_PAGES = 1000
TIMEOUT_SECONDS = 30


class ImportRefused(DomainError):
    """The collection cannot be imported; `problems` names each bad entry and why."""

    def __init__(self, problems: list[str], *, field: str | None = "file"):
        count = len(problems)
        self.headline = (
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the collection."
        )
        super().__init__(self.headline + " " + " ".join(problems), field=field)
        self.problems = problems


@dataclass
class Entry:
    """One specification, mapped to our field names; people are Launchpad ids."""

    name: str
    values: dict[str, Any]
    milestone_name: str | None
    tags: list[str] | None
    unmapped: dict[str, str] = field(default_factory=dict)


@dataclass
class Collection:
    entries: list[Entry]
    skipped: list[str]  # names left out because they are not Public (§8.9)


def person_id(link: str | None) -> str:
    """`https://api.launchpad.net/devel/~alice` → `alice`; null → empty."""
    if not link:
        return ""
    return link.rstrip("/").rsplit("/", 1)[-1].lstrip("~")


def _label(index: int, raw: Any) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"entry {index + 1} ({name})" if isinstance(name, str) and name else f"entry {index + 1}"


def _check_entry(raw: Any) -> list[str]:
    """Why `raw` cannot be a blueprint (empty when it can)."""
    if not isinstance(raw, dict):
        return [f"is a {type(raw).__name__}, not an object"]
    problems = []
    name = raw.get("name")
    if name is None or name == "":
        problems.append("has no name")
    elif not isinstance(name, str):
        problems.append(f"name is a {type(name).__name__}, not a string")
    elif not NAME.match(name):
        problems.append(
            f"name {name!r} does not match Launchpad's pattern {BLUEPRINT_NAME_PATTERN}"
        )
    title = raw.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        problems.append("has no title")
    elif not isinstance(title, str):
        problems.append(f"title is a {type(title).__name__}, not a string")
    for key in (*TEXT_FIELDS, *LINK_FIELDS, *OTHER_STRING_FIELDS, *ENUMS):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"{key} is a {type(value).__name__}, not a string")
    for key, longest in MAX_LENGTHS.items():
        value = raw.get(key)
        if isinstance(value, str) and len(value) > longest:
            problems.append(f"{key} is longer than {longest} characters")
    for key in LINK_FIELDS[:4]:
        value = raw.get(key)
        if isinstance(value, str) and len(person_id(value)) > MAX_PERSON_ID:
            problems.append(f"{key} names a person id longer than {MAX_PERSON_ID} characters")
    if raw.get("specification_url") and isinstance(raw["specification_url"], str):
        try:
            URLValidator()(raw["specification_url"])
        except ValidationError:
            problems.append(f"specification_url {raw['specification_url']!r} is not a URL")
    if raw.get("direction_approved") is not None and not isinstance(
        raw["direction_approved"], bool
    ):
        problems.append("direction_approved is not true or false")
    for key in DATE_FIELDS:
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(f"{key} is a {type(value).__name__}, not a date")
            continue
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            problems.append(f"{key} {value!r} is not an ISO 8601 date")
            continue
        if parsed.tzinfo is None:
            problems.append(f"{key} {value!r} has no UTC offset")
    tags = raw.get("tags")
    if tags is not None and (
        not isinstance(tags, list) or not all(isinstance(t, str) and NAME.match(t) for t in tags)
    ):
        problems.append("tags is not a list of lowercase names")
    return problems


def _entry(raw: dict) -> Entry:
    unmapped = {}
    values: dict[str, Any] = {
        "title": raw["title"].strip(),
        "summary": raw.get("summary") or "",
        "specification_url": raw.get("specification_url") or "",
        "whiteboard": raw.get("whiteboard") or "",
        "workitems_text": raw.get("workitems_text") or "",
        "owner": person_id(raw.get("owner_link")),
        "assignee": person_id(raw.get("assignee_link")),
        "drafter": person_id(raw.get("drafter_link")),
        "approver": person_id(raw.get("approver_link")),
        "direction_approved": bool(raw.get("direction_approved")),
        "self_link": raw.get("self_link") or "",
        "web_link": raw.get("web_link") or "",
    }
    for key, (choices, default) in ENUMS.items():
        value = raw.get(key)
        if value in choices.values:
            values[key] = value
        else:
            values[key] = default
            if value:  # Launchpad added a value we do not know: keep it, flag it.
                unmapped[key] = value
    for key in DATE_FIELDS:
        values[key] = datetime.fromisoformat(raw[key]) if raw.get(key) else None
    milestone_link = raw.get("milestone_link")
    return Entry(
        name=raw["name"],
        values=values,
        milestone_name=milestone_link.rstrip("/").rsplit("/", 1)[-1] if milestone_link else None,
        tags=raw.get("tags"),
        unmapped=unmapped,
    )


def parse_pages(pages: list[Any]) -> Collection:
    """Check every entry of every page; refuse the lot if any entry is bad."""
    raws: list[Any] = []
    problems: list[str] = []
    for number, page in enumerate(pages, start=1):
        if not isinstance(page, dict) or not isinstance(page.get("entries"), list):
            problems.append(
                f'page {number} is not a Launchpad collection page (no "entries" list).'
            )
            continue
        raws.extend(page["entries"])
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raws):
        entry_problems = _check_entry(raw)
        name = raw.get("name") if isinstance(raw, dict) else None
        if isinstance(name, str) and name:
            if name in first_index:
                entry_problems.append(
                    f"name {name!r} appears twice in the file (also entry {first_index[name] + 1})"
                )
            else:
                first_index[name] = index
        if entry_problems:
            problems.append(f"{_label(index, raw)}: {'; '.join(entry_problems)}.")
    if problems:
        raise ImportRefused(problems)
    entries, skipped = [], []
    for raw in raws:
        if (raw.get("information_type") or InformationType.PUBLIC) != InformationType.PUBLIC:
            skipped.append(raw["name"])
        else:
            entries.append(_entry(raw))
    return Collection(entries=entries, skipped=skipped)


def parse_json_text(text: str | bytes) -> Collection:
    raw = text.encode() if isinstance(text, str) else text
    if json_depth(raw) > MAX_JSON_DEPTH:  # the API's rule for bodies: json.loads would recurse
        raise ImportRefused([f"the file is nested more than {MAX_JSON_DEPTH} levels deep."])
    try:
        page = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportRefused([f"the file is not JSON ({exc})."]) from exc
    found = bad_text_in(page)
    if found is not None:
        where, message = found
        raise ImportRefused([f"the file at {where or 'its top'}: {message}"])
    return parse_pages([page])


def read_file(path: Path) -> Collection:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise ImportRefused([f"cannot read {path.name}: {exc.strerror}."]) from exc
    return parse_json_text(text)


def fetch_pages(url: str, *, timeout: float = TIMEOUT_SECONDS) -> list[Any]:
    """GET `url` and every `next_collection_link` after it, page by page (no login needed)."""
    pages, seen = [], set()
    while url:
        if url in seen or len(pages) >= MAX_PAGES:
            raise ImportRefused([f"paging does not end (stopped at {url})."], field="url")
        seen.add(url)
        request = Request(url, headers={"Accept": "application/json"})
        try:
            with urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                page = json.loads(response.read())
        except (URLError, OSError, ValueError) as exc:
            raise ImportRefused([f"cannot read {url}: {exc}."], field="url") from exc
        pages.append(page)
        url = page.get("next_collection_link") if isinstance(page, dict) else None
    return pages


def fetch_collection(url: str) -> Collection:
    if not url.startswith(("http://", "https://")):
        raise ImportRefused([f"{url!r} is not an http(s) URL."], field="url")
    return parse_pages(fetch_pages(url))
