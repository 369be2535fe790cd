"""The release calendar is loaded by a migration from openstack-series.json."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.importers.release_calendar import load_release_calendar
from roadmap.models import Milestone, Series

pytestmark = pytest.mark.django_db


def test_juno_and_its_milestones_are_loaded_with_their_dates():
    juno = Series.objects.get(name="Juno")

    assert (juno.version, juno.status) == ("2014.2", "end of life")
    assert list(juno.milestones.values_list("name", "date")) == [
        ("juno-1", datetime.date(2014, 6, 11)),
        ("juno-2", datetime.date(2014, 7, 23)),
        ("juno-3", datetime.date(2014, 9, 5)),
        ("juno-rc1", datetime.date(2014, 10, 1)),
        ("juno-final", datetime.date(2014, 10, 16)),
    ]


def test_loading_again_changes_nothing():
    before = (Series.objects.count(), Milestone.objects.count())

    counts = load_release_calendar(Series, Milestone)

    assert (Series.objects.count(), Milestone.objects.count()) == before == counts


@pytest.mark.parametrize(
    ("status", "released", "expected"),
    [
        ("development", datetime.date(2026, 9, 30), "maintained"),  # Hibiscus, once released
        ("future", datetime.date(2026, 9, 30), "maintained"),
        ("development", datetime.date(2026, 10, 1), "development"),  # release still ahead
        ("development", datetime.date(2026, 9, 29), "maintained"),
        ("end of life", datetime.date(2014, 10, 16), "end of life"),
        ("unmaintained", datetime.date(2022, 3, 30), "unmaintained"),
        ("development", None, "development"),
    ],
)
def test_a_series_past_its_release_date_is_no_longer_in_development(status, released, expected):
    series = Series(name="Any", status=status, release_date=released)

    assert series.status_on(datetime.date(2026, 9, 30)) == expected


def test_the_api_reads_the_status_as_the_pages_do(anon_client):
    released = timezone.localdate() - datetime.timedelta(days=1)
    Series.objects.filter(name="Hibiscus").update(status="development", release_date=released)

    response = anon_client.get(reverse("api-series-detail", args=["hibiscus"]))

    assert response.json()["status"] == "maintained"
