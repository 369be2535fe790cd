"""The preview's host map as one compact array for the page's canvas (not one element per host).

At 10,000 hosts the data is the host names, one verdict letter per host and one row per group:
about 20 bytes a host. A host's reasons, weights and slots are fetched when asked for. Where the
hosts sit (aggregates.preview.host_layout) is made once per cloud; a preview adds its letters.
"""

import numpy as np

from aggregates.preview.host_layout import map_layout
from aggregates.preview.run import PreviewOutcome
from aggregates.scheduling import ZONE_PREFILTER

# One letter per verdict: the canvas draws colour and pattern from it, the legend names it.
PICKED, PASSES, FILTERED, PLACEMENT, ERROR = "B", "P", "F", "X", "E"


def _code(verdict) -> tuple[str, bool]:
    """(letter, rejected by the zone pre-filter) of a verdict; a pass is P, the pick B later."""
    if verdict.failed is None:
        code = PASSES
    elif verdict.error:
        code = ERROR
    else:
        code = FILTERED if verdict.placement_passed else PLACEMENT
    return code, verdict.failed_filter == ZONE_PREFILTER


def compact_map(outcome: PreviewOutcome) -> dict:
    """The map's zones (for the page's folds) and its data (for the canvas), hosts grouped by
    zone, then by the aggregates they are in; a zone wholly outside the requested one folds."""
    result = outcome.result
    table, layout = map_layout(outcome.inputs)
    position_of = table.positions()
    coded = result.hosts.summarise(_code)
    codes = np.asarray([code for code, _ in coded], dtype="<U1")
    for name in result.summary.best_hosts:
        codes[position_of[name]] = PICKED
    outside = np.fromiter((out for _, out in coded), dtype=bool, count=len(coded))
    place = np.empty(table.n, dtype=np.intp)
    place[layout.order] = np.arange(table.n)
    comparison = outcome.comparison
    gained = set(comparison.hosts_gained) if comparison else set()
    lost = set(comparison.hosts_lost) - gained if comparison else set()
    zone_hosts = np.bincount(layout.host_zone, minlength=len(layout.zones))
    zone_inside = np.bincount(layout.host_zone[~outside], minlength=len(layout.zones))
    zones = [
        {"name": zone, "index": index, "hosts": int(count), "outside": not zone_inside[index]}
        for index, (zone, count) in enumerate(zip(layout.zones, zone_hosts, strict=True))
    ]
    data = {
        "zones": layout.zones,
        "groups": [list(group) for group in layout.groups],
        "names": layout.names,
        "verdicts": "".join(codes[layout.order].tolist()),
        "gained": _places(gained, position_of, place),
        "lost": _places(lost, position_of, place),
    }
    return {"zones": zones, "data": data, "hosts": table.n}


def _places(names: set[str], position_of: dict[str, int], place: np.ndarray) -> list[int]:
    """The map places of the hosts called `names`, in map order."""
    return sorted(int(place[position_of[name]]) for name in names if name in position_of)
