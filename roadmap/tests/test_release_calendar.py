"""The release calendar is loaded by a migration from openstack-series.json."""

import datetime

import pytest

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
