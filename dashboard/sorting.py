"""Sorting of tables by the query string's `sort` (`name` or `-name`), against a whitelist.

Querysets sort through their FilterSet's OrderingFilter (which drops unknown keys); lists built
in Python (zones) sort through `sort_rows` here. User input never reaches `order_by` unchecked.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import django_filters

Row = TypeVar("Row")
SORT_PARAM = "sort"


def requested_sort(value: str | None, allowed: Iterable[str]) -> tuple[str, bool] | None:
    """(key, descending) for a whitelisted `sort` value, else None."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.removeprefix("-")
    return (key, descending) if key in set(allowed) else None


def sort_rows(
    rows: list[Row], value: str | None, keys: Mapping[str, Callable[[Row], object]]
) -> list[Row]:
    """`rows` sorted by the whitelisted key of `value`; in their own order otherwise."""
    chosen = requested_sort(value, keys)
    if chosen is None:
        return rows
    key, descending = chosen
    return sorted(rows, key=keys[key], reverse=descending)


def toggled(current: str | None, key: str) -> str:
    """The `sort` value a header link for `key` asks for: ascending first, then the reverse."""
    return f"-{key}" if (current or "").strip() == key else key


class SortFilter(django_filters.OrderingFilter):
    """`?sort=` over whitelisted keys (the FilterSet's `fields`), with the primary key as the
    tie-breaker so that pages of equal values do not shuffle between requests."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Sort")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")
