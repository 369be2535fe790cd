"""Data migrations before a case-insensitive unique index: rows whose name differs only in case
from an earlier row's are renamed (never deleted), each rename reported."""

from django.db.models import Count, Model, Value
from django.db.models.functions import Lower


def rename_case_twins(
    model: type[Model], field: str, *, scope: tuple[str, ...] = (), report=print
) -> list[str]:
    """Keep the oldest row (lowest pk) of each group whose `field` is equal ignoring case (within
    the same `scope` columns); give each later one the first free `<name>-2`, `<name>-3`, ...
    (a suffix every name rule here accepts). Returns the report's lines, one per rename; says
    nothing when there is no twin."""
    rows = model._default_manager
    twin_groups = (
        rows.annotate(folded=Lower(field))
        .values(*scope, "folded")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .order_by(*scope, "folded")
    )
    max_length = model._meta.get_field(field).max_length
    label = model._meta.label
    lines = []
    for group in twin_groups:
        same_scope = {column: group[column] for column in scope}
        twins = rows.annotate(folded=Lower(field)).filter(folded=group["folded"], **same_scope)
        first, *later = twins.order_by("pk").values_list("pk", field)
        for pk, name in later:
            new_name = _free_name(rows.filter(**same_scope), field, name, max_length)
            rows.filter(pk=pk).update(**{field: new_name})
            lines.append(
                f"{label} {pk}: renamed {name!r} to {new_name!r}; it differed only in case "
                f"from {first[1]!r} ({label} {first[0]})."
            )
    for line in lines:
        report(line)
    return lines


def _free_name(rows, field: str, name: str, max_length: int | None) -> str:
    number = 2
    while True:
        suffix = f"-{number}"
        base = name if max_length is None else name[: max_length - len(suffix)]
        candidate = f"{base}{suffix}"
        # Folded as the index folds it (the database's lower(), not Python's).
        taken = rows.annotate(folded=Lower(field)).filter(folded=Lower(Value(candidate)))
        if not taken.exists():
            return candidate
        number += 1
