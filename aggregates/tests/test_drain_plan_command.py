"""manage.py drain_plan: the terminal table, CSV, JSON, and refusals as command errors."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from aggregates.tests.tour import tour_with_cool_servers

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("drain_plan", *args, stdout=out)
    return out.getvalue()


def test_table_csv_and_json_agree(admin_user):
    tour_with_cool_servers(admin_user)

    table = run("devstack", "--host", "devstack")
    rows = list(csv.DictReader(io.StringIO(run("devstack", "--zone", "test-az", "--csv"))))
    payload = json.loads(run("devstack", "--aggregate", "test-aggregate2", "--json"))

    assert table.splitlines()[0] == "drain devstack: 2 servers, 0 placed, 2 unplaceable"
    assert [row["server"] for row in rows] == ["cool-1", "cool-2"]
    assert all(row["destination"] == "" for row in rows)
    assert all("AggregateInstanceExtraSpecsFilter" in row["why not placed"] for row in rows)
    assert payload["summary"] == {"servers": 2, "placed": 0, "unplaceable": 2}


def test_unknown_host_is_a_command_error_naming_the_field(admin_user):
    tour_with_cool_servers(admin_user)

    with pytest.raises(CommandError, match="^hosts: Compute host nope could not be found"):
        run("devstack", "--host", "nope")
