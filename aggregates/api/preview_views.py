"""The preview's `?view=` shapes: summary, compact host rows, or every step (the default).

Host rows are filtered by `passed`, `host` and `zone` and paginated as every API list is
(`page`, `page_size`); `full` without those query parameters keeps every host, as before.
"""

from __future__ import annotations

import math
from typing import Any

from rest_framework import serializers
from rest_framework.utils.urls import replace_query_param

from aggregates.preview.host_layout import map_layout
from aggregates.preview.run import PreviewOutcome
from dashboard.ranges import NamedRangesSerializer

VIEWS = ("summary", "hosts", "full")
PAGE_SIZE, MAX_PAGE_SIZE = 50, 500
TOP, MAX_TOP = 10, 1000


class PreviewViewSerializer(NamedRangesSerializer, serializers.Serializer):
    """The query parameters of the preview."""

    view = serializers.ChoiceField(choices=VIEWS, default="full")
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)
    host = serializers.CharField(required=False, help_text="part of the host name, any case")
    zone = serializers.CharField(required=False, help_text="exact availability zone name")
    top = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_TOP, default=TOP, help_text="summary's ranking"
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)


def selected_hosts(outcome: PreviewOutcome, options: dict[str, Any]) -> list[int] | None:
    """Indices of the hosts the filters keep, in input order; None when nothing filters."""
    passed, part, zone = options.get("passed"), options.get("host"), options.get("zone")
    if passed is None and not part and not zone:
        return None
    hosts = outcome.result.hosts
    names = hosts.names
    layout = map_layout(outcome.inputs)[1]
    needle = (part or "").casefold()
    return [
        index
        for index, name in enumerate(names)
        if (passed is None or (hosts.rank(index) is not None) == passed)
        and (not needle or needle in name.casefold())
        and (not zone or layout.zone_of(index) == zone)
    ]


def paginate(
    request, indices: list[int], options: dict[str, Any]
) -> tuple[list[int], dict[str, Any]]:
    """One page of `indices` and the list's count/next/previous, as DRF's lists give them."""
    size = options.get("page_size") or PAGE_SIZE
    pages = max(1, math.ceil(len(indices) / size))
    page = options.get("page") or 1
    if page > pages:
        raise serializers.ValidationError({"page": f"Page {page} is beyond the last ({pages})."})
    url = request.build_absolute_uri()
    links = {
        "count": len(indices),
        "next": replace_query_param(url, "page", page + 1) if page < pages else None,
        "previous": replace_query_param(url, "page", page - 1) if page > 1 else None,
    }
    return indices[(page - 1) * size : page * size], links


def compact_rows(outcome: PreviewOutcome, indices: list[int]) -> list[dict[str, Any]]:
    """One short row per host: no per-step detail (that is `view=full`)."""
    hosts = outcome.result.hosts
    names = hosts.names
    layout = map_layout(outcome.inputs)[1]
    rows = []
    for index in indices:
        verdict = hosts.verdict(index)
        rows.append(
            {
                "host": names[index],
                "zone": layout.zone_of(index),
                "passed": verdict.failed is None,
                "failed_filter": verdict.failed_filter,
                "weight": hosts.weight(index),
                "rank": hosts.rank(index),
                "slots": hosts.slots(index),
            }
        )
    return rows


def ranking(outcome: PreviewOutcome, top: int) -> list[dict[str, Any]]:
    """The first `top` weighed hosts, best first."""
    return [
        {"host": host.host, "rank": host.rank, "weight": host.weight, "slots": host.slots}
        for host in outcome.result.top(top)
    ]
