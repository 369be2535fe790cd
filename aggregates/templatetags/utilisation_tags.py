"""Capacity bars: used against Placement capacity, with the percentage the rollups use."""

from django import template

from aggregates.utilisation import percent

register = template.Library()


@register.inclusion_tag("aggregates/partials/_capacity_bar.html")
def capacity_bar(used: int, capacity: int, unit: str = "") -> dict:
    share = percent(used, capacity)
    level = "full" if share >= 90 else "busy" if share >= 70 else "ok"
    return {"used": used, "capacity": capacity, "percent": share, "level": level, "unit": unit}
