"""Capacity bars: used against Placement capacity, with the percentage the rollups use."""

from django import template

from aggregates.utilisation import percent
from dashboard.templatetags.units import count, gib, mib

register = template.Library()
# How a bar writes its amounts, by the unit the caller names (Nova's MB are MiB, GB GiB).
AMOUNT_FORMATS = {"MB": mib, "GB": gib}


@register.inclusion_tag("aggregates/partials/_capacity_bar.html")
def capacity_bar(used: int, capacity: int, unit: str = "") -> dict:
    share = percent(used, capacity)
    level = "full" if share >= 90 else "busy" if share >= 70 else "ok"
    amount = AMOUNT_FORMATS.get(unit, count)
    return {
        "used": used,
        "capacity": capacity,
        "used_text": amount(used),
        "capacity_text": amount(capacity),
        "exact": f"{count(used)} of {count(capacity)}{f' {unit}' if unit else ''}",
        "percent": share,
        "level": level,
    }
