"""The size and count filters, and the sort helpers the sortable headers stand on."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from dashboard.sorting import requested_sort, sort_rows, toggled
from dashboard.templatetags.units import count, gib, mib, resource_amount


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0 MiB"),
        (512, "512 MiB"),
        (1023, "1,023 MiB"),
        (1024, "1 GiB"),
        (1536, "1.5 GiB"),
        (16384, "16 GiB"),
        (4_612_096, "4.4 TiB"),
        (1024**3, "1 PiB"),
        (None, ""),
        ("n/a", "n/a"),
    ],
)
def test_mib_scales_to_the_largest_binary_unit(value, expected):
    assert mib(value) == expected


def test_gib_starts_a_unit_higher():
    assert gib(40) == "40 GiB"
    assert gib(2048) == "2 TiB"
    assert gib(1_500_000) == "1.4 PiB"


def test_count_groups_digits():
    assert count(1234567) == "1,234,567"
    assert count(12) == "12"
    assert count(2.5) == "2.5"
    assert count(None) == ""


def test_resource_amount_uses_the_resource_class_unit():
    assert resource_amount(4_612_096, "MEMORY_MB") == "4.4 TiB"
    assert resource_amount(2048, "DISK_GB") == "2 TiB"
    assert resource_amount(12345, "VCPU") == "12,345"


def test_the_filters_work_in_templates():
    html = Template("{% load units %}{{ ram|mib }} · {{ n|count }}").render(
        Context({"ram": 4_612_096, "n": 10_000})
    )
    assert html == "4.4 TiB · 10,000"


def test_only_whitelisted_sort_keys_are_taken():
    assert requested_sort("-name", ["name"]) == ("name", True)
    assert requested_sort("name", ["name"]) == ("name", False)
    assert requested_sort("name; drop", ["name"]) is None
    assert requested_sort(None, ["name"]) is None


def test_sort_rows_orders_by_the_key_or_leaves_the_rows():
    rows = [{"n": "b"}, {"n": "a"}, {"n": "c"}]
    keys = {"name": lambda r: r["n"]}
    assert [r["n"] for r in sort_rows(rows, "-name", keys)] == ["c", "b", "a"]
    assert sort_rows(rows, "secret", keys) is rows


def test_a_header_asks_ascending_first_then_toggles():
    assert toggled(None, "name") == "name"
    assert toggled("name", "name") == "-name"
    assert toggled("-name", "name") == "name"
    assert toggled("status", "name") == "name"


def render_header(query: str, key: str = "name") -> str:
    request = RequestFactory().get(f"/hosts/?{query}")
    template = Template('{% load tables %}{% sort_header key "Host" %}')
    return template.render(Context({"request": request, "key": key}))


def test_the_header_keeps_filters_resets_the_page_and_shows_the_direction():
    html = render_header("zone=az1&page=3&sort=name")
    assert 'href="?zone=az1&amp;sort=-name"' in html
    assert 'aria-sort="ascending"' in html and "▲" in html
    html = render_header("sort=-name")
    assert 'aria-sort="descending"' in html and "▼" in html
    html = render_header("sort=status")
    assert 'aria-sort="none"' in html and "▲" not in html and "▼" not in html
