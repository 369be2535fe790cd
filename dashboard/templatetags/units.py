"""Sizes and counts for people: `|mib` and `|gib` scale a stored size (Nova's MB are MiB, its GB
GiB) to the largest binary unit that keeps it at least 1, `|count` groups digits."""

from django import template

register = template.Library()
UNITS = ("MiB", "GiB", "TiB", "PiB", "EiB")


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def human_size(value, *, unit: str) -> str:
    """`value` in `unit` (one of UNITS) as e.g. "4.4 TiB"; one decimal, none when whole."""
    number = _number(value)
    if number is None:
        return "" if value is None else str(value)
    index = UNITS.index(unit)
    while abs(number) >= 1024 and index < len(UNITS) - 1:
        number /= 1024
        index += 1
    rounded = round(number, 1)
    text = f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.1f}"
    return f"{text} {UNITS[index]}"


@register.filter
def mib(value) -> str:
    return human_size(value, unit="MiB")


@register.filter
def gib(value) -> str:
    return human_size(value, unit="GiB")


@register.filter
def count(value) -> str:
    """An integer with thousands separators (`12,345`); other numbers to one decimal."""
    number = _number(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


RESOURCE_FORMATS = {"MEMORY_MB": mib, "DISK_GB": gib}


@register.filter
def resource_amount(value, resource_class: str) -> str:
    """An amount of a Placement resource class in its unit: MEMORY_MB as MiB, DISK_GB as GiB,
    anything else (VCPU, counts) with thousands separators."""
    return RESOURCE_FORMATS.get(resource_class, count)(value)
