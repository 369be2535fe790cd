"""The audit log read for people: each entry's object (kind, name, link, or gone) and what changed,
field by field in words, secrets never shown. Pages and the API describe entries through here."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from dashboard.models import AuditEntry
from dashboard.templatetags.units import count

# Keys whose values are credentials: shown only as "set", "changed" or "removed".
SECRET_KEY = re.compile(r"password|secret|token|credential|key_hash|private_key", re.IGNORECASE)
# Bookkeeping every save moves; a diff of it says nothing an operator can act on.
SKIPPED_KEYS = frozenset({"id", "updated_at"})
# Words for the parts of Nova's and our field names, so `reserved_host_memory_mb` reads
# "Reserved host memory (MB)".
WORDS = {
    "mb": "(MB)",
    "gb": "(GB)",
    "id": "ID",
    "ids": "IDs",
    "uuid": "UUID",
    "url": "URL",
    "vcpus": "vCPUs",
    "cpu": "CPU",
    "cpus": "CPUs",
    "ram": "RAM",
    "rxtx": "RX/TX",
    "vms": "VMs",
    "os": "OS",
}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    field: str  # the snapshot's key, dotted for a key inside a dict ("metadata.coolhardware")
    label: str
    old: Any
    new: Any
    hidden: bool = False  # a secret: old and new are withheld

    @property
    def old_text(self) -> str:
        return "" if self.hidden else as_text(self.old)

    @property
    def new_text(self) -> str:
        if self.hidden:
            return "set" if self.old is None else "removed" if self.new is None else "changed"
        return as_text(self.new)


@dataclass(frozen=True)
class DescribedEntry:
    entry: AuditEntry
    kind: str
    name: str
    url: str | None  # None when the object is gone (or has no page)
    exists: bool
    changes: list[Change]


def label_of(key: str, model: type[models.Model] | None = None) -> str:
    """A snapshot key in words: the model's own label for it when it has one."""
    own = getattr(model, "audit_labels", {}).get(key) if model else None
    if own:
        return own
    name = key.removesuffix("_id") if key.endswith("_id") and _is_foreign_key(model, key) else key
    if model is not None:
        try:
            verbose = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            verbose = ""
        if verbose and verbose != name.replace("_", " "):
            return verbose[:1].upper() + verbose[1:]
    parts = name.removeprefix("is_").split("_")
    words = [WORDS.get(part, part) for part in parts]
    if words[0] == parts[0]:  # a word of ours keeps its case ("vCPUs")
        words[0] = words[0].capitalize()
    return " ".join(words)


def _is_foreign_key(model: type[models.Model] | None, attname: str) -> bool:
    if model is None:
        return False
    return any(
        field.attname == attname and field.is_relation for field in model._meta.concrete_fields
    )


def as_text(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return count(value)
    if isinstance(value, list):
        return ", ".join(as_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}={as_text(item)}" for key, item in value.items())
    return str(value)


def redacted(data: Any) -> Any:
    """`data` (a snapshot) with the value of every secret key, at any depth, withheld."""
    if isinstance(data, dict):
        return {
            key: ("(hidden)" if SECRET_KEY.search(str(key)) and value else redacted(value))
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redacted(item) for item in data]
    return data


def changes_of(entry: AuditEntry, model: type[models.Model] | None = None) -> list[Change]:
    """What `entry` changed, key by key in the snapshot's order; a dict field key by key."""
    before, after = entry.before or {}, entry.after or {}
    found: list[Change] = []
    for key in [*after, *(key for key in before if key not in after)]:
        if key in SKIPPED_KEYS:
            continue
        old, new = before.get(key), after.get(key)
        if old == new or as_text(old) == as_text(new) == EMPTY:
            continue
        label = label_of(key, model)
        if isinstance(old, dict | None) and isinstance(new, dict | None):
            found.extend(_dict_changes(key, label, old or {}, new or {}))
        else:
            found.append(Change(key, label, old, new, hidden=bool(SECRET_KEY.search(key))))
    return found


def _dict_changes(key: str, label: str, old: dict, new: dict) -> list[Change]:
    changed = []
    for inner in [*new, *(inner for inner in old if inner not in new)]:
        if old.get(inner) != new.get(inner):
            secret = bool(SECRET_KEY.search(key) or SECRET_KEY.search(str(inner)))
            field, inner_label = f"{key}.{inner}", f"{label}: {inner}"
            changed.append(Change(field, inner_label, old.get(inner), new.get(inner), secret))
    return changed


def describe(entries: Iterable[AuditEntry]) -> list[DescribedEntry]:
    """Each entry with its object looked up: one query per kind of object, not per entry."""
    entries = list(entries)
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        wanted[entry.object_type].add(entry.object_id)
    found = {label: _objects(label, ids) for label, ids in wanted.items()}
    described = []
    for entry in entries:
        model = _model(entry.object_type)
        obj = found[entry.object_type].get(entry.object_id)
        kind = str(model._meta.verbose_name) if model else entry.object_type
        described.append(
            DescribedEntry(
                entry=entry,
                kind=kind[:1].upper() + kind[1:],
                name=str(obj) if obj is not None else entry.object_repr,
                url=_url(obj),
                exists=obj is not None,
                changes=changes_of(entry, model),
            )
        )
    return described


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None  # a kind of object that no longer exists in the code


def _objects(label: str, ids: set[str]) -> dict[str, models.Model]:
    model = _model(label)
    if model is None:
        return {}
    pk = model._meta.pk
    keys = []
    for value in ids:
        try:
            keys.append(pk.to_python(value))
        except ValidationError:
            continue  # an id this model's key cannot read names no row
    # select_related(): get_absolute_url reads the parents (a host's cloud, a blueprint's project).
    rows = model._default_manager.select_related().filter(pk__in=keys)
    return {str(row.pk): row for row in rows}


def _url(obj: models.Model | None) -> str | None:
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url else None
