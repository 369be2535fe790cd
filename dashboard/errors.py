"""Domain errors: services raise them; pages show them next to the field, the API as JSON."""

import functools
import re

from django.apps import apps
from django.db import IntegrityError
from django.db.models import F, Field, Model, UniqueConstraint
from django.utils.text import capfirst


class DomainError(Exception):
    """A refused operation: `message` for people, `field` it concerns (or None), HTTP `status`."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PermissionDenied(DomainError):
    status = 403


class ServiceUnavailable(DomainError):
    """A service the operation needs (the task queue, say) is down: try again later."""

    status = 503


# -- a unique index that caught a race ---------------------------------------------------------
# The services check names before writing; two requests at once both pass the check, and the
# database's unique index refuses the second. That refusal means what the check means.
_KEY_COLUMNS = re.compile(r"Key \((?P<columns>[^()]*)\)=")  # PostgreSQL's DETAIL line
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")
_SQLITE_INDEX = re.compile(r"^index '(?P<name>[^']+)'$")  # an index on expressions: its name


def conflict_from(error: IntegrityError) -> DomainError | None:
    """The refusal a unique-index violation stands for: 409 where the model's service answers a
    duplicate with 409 (`UNIQUE_CONFLICT_STATUS`), else 400, naming the field; None for any
    other integrity error (a bug to see, not to hide)."""
    found = _violated(error)
    if found is None:
        return None
    model, fields = found
    field = next((f for f in reversed(fields) if not f.is_relation), fields[-1])
    return DomainError(
        f"{capfirst(model._meta.verbose_name)} with this {field.verbose_name} already exists.",
        field=field.name,
        status=getattr(model, "UNIQUE_CONFLICT_STATUS", 400),
    )


def _violated(error: IntegrityError) -> tuple[type[Model], list[Field]] | None:
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        if getattr(cause, "sqlstate", None) != "23505":  # unique_violation
            return None
        by_name = _constraints().get(diag.constraint_name or "")
        if by_name is not None:
            return by_name
        match = _KEY_COLUMNS.search(diag.message_detail or "")
        columns = [c.strip() for c in match["columns"].split(",")] if match else []
        return _by_columns(diag.table_name or "", columns)
    match = _SQLITE_UNIQUE.search(str(error))
    if match is None:
        return None
    index = _SQLITE_INDEX.match(match["columns"])
    if index is not None:
        return _constraints().get(index["name"])
    qualified = [c.strip().split(".") for c in match["columns"].split(",")]
    return _by_columns(qualified[0][0], [column for _, column in qualified])


def _by_columns(table: str, columns: list[str]) -> tuple[type[Model], list[Field]] | None:
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None or not columns:
        return None
    by_column = {f.column: f for f in model._meta.concrete_fields}
    if not all(column in by_column for column in columns):
        return None
    return model, [by_column[column] for column in columns]


@functools.cache
def _constraints() -> dict[str, tuple[type[Model], list[Field]]]:
    """Every named unique constraint of every model (expressions such as Lower(name) included,
    which the DETAIL line cannot name as columns)."""
    found = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            names = list(constraint.fields) or [
                ref for expr in constraint.expressions for ref in _field_refs(expr)
            ]
            fields = [model._meta.get_field(name) for name in names]
            if fields:
                found[constraint.name] = (model, fields)
    return found


def _field_refs(expression) -> list[str]:
    if isinstance(expression, F):
        return [expression.name]
    return [ref for source in expression.get_source_expressions() for ref in _field_refs(source)]
