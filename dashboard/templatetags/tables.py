"""Table headers that sort by a link (`?sort=key`, then `?sort=-key`), keeping the filters."""

from django import template
from django.http import QueryDict

from dashboard.sorting import SORT_PARAM, requested_sort, toggled

register = template.Library()
ARROWS = {False: "▲", True: "▼"}
ARIA = {False: "ascending", True: "descending"}


@register.inclusion_tag("partials/_sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str) -> dict:
    """A <th> whose link sorts the table by `key`; the page resets, every other filter stays."""
    query: QueryDict = context["request"].GET.copy()
    current = query.get(SORT_PARAM)
    chosen = requested_sort(current, [key])
    query.pop("page", None)
    query[SORT_PARAM] = toggled(current, key)
    return {
        "label": label,
        "query": query.urlencode(),
        "arrow": ARROWS[chosen[1]] if chosen else "",
        "aria_sort": ARIA[chosen[1]] if chosen else "none",
    }


@register.inclusion_tag("partials/_sort_field.html", takes_context=True)
def sort_field(context) -> dict:
    """A hidden `sort` input for a filter form, so filtering keeps the chosen order."""
    return {"sort": context["request"].GET.get(SORT_PARAM, "")}
