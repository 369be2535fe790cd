"""conflict_from: the unique index's refusal read back as the field and the service's status,
on PostgreSQL and SQLite alike (the race tests in tests/races need PostgreSQL)."""

import pytest
from django.db import IntegrityError, transaction

from aggregates.models import Aggregate, Cloud
from aggregates.tests.factories import AggregateFactory, CloudFactory
from dashboard.errors import conflict_from
from roadmap.models import Blueprint, Milestone, Project, Series

pytestmark = pytest.mark.django_db


def refusal(write) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    return caught.value


def test_a_duplicate_aggregate_name_is_a_409_on_name():
    aggregate = AggregateFactory(name="rack-1")

    error = refusal(lambda: Aggregate.objects.create(cloud=aggregate.cloud, name="rack-1"))
    conflict = conflict_from(error)

    assert (conflict.field, conflict.status) == ("name", 409)
    assert conflict.message == "Aggregate with this name already exists."


def test_a_duplicate_unique_column_is_a_400_where_its_service_answers_400():
    Project.objects.create(name="nova", title="Nova")

    conflict = conflict_from(refusal(lambda: Project.objects.create(name="nova", title="Again")))

    assert (conflict.field, conflict.status) == ("name", 400)


def test_an_integrity_error_that_is_not_a_duplicate_is_left_alone():
    cloud = CloudFactory()

    error = refusal(lambda: Aggregate.objects.create(cloud=cloud, name=None))  # NOT NULL

    assert conflict_from(error) is None


def _project_twin():
    Project.objects.create(name="nova", title="Nova")
    return lambda: Project.objects.create(name="Nova", title="Twin")


def _series_twin():
    return lambda: Series.objects.create(name="JUNO", status="current")  # Juno: the calendar's


def _milestone_twin():
    juno = Series.objects.get(name="Juno")
    return lambda: Milestone.objects.create(series=juno, name="JUNO-2", kind="milestone")


def _blueprint_twin():
    nova = Project.objects.create(name="nova", title="Nova")
    Blueprint.objects.create(project=nova, name="live-resize", title="Live resize")
    return lambda: Blueprint.objects.create(project=nova, name="Live-Resize", title="Twin")


def _cloud_twin():
    CloudFactory(slug="devstack")
    return lambda: Cloud.objects.create(slug="DevStack", name="Twin")


@pytest.mark.parametrize(
    ("make_twin", "field", "status"),
    [
        (_project_twin, "name", 400),
        (_series_twin, "name", 400),
        (_milestone_twin, "name", 400),
        (_blueprint_twin, "name", 400),
        (_cloud_twin, "slug", 409),
    ],
    ids=["project", "series", "milestone", "blueprint", "cloud"],
)
def test_a_name_that_differs_only_in_case_is_refused_by_the_index_naming_the_field(
    make_twin, field, status
):
    write_twin = make_twin()

    conflict = conflict_from(refusal(write_twin))

    assert (conflict.field, conflict.status) == (field, status)


def test_sqlite_s_refusal_by_an_expression_index_is_read_by_the_index_s_name():
    # SQLite names no columns for an index on lower(slug), only the index.
    error = IntegrityError("UNIQUE constraint failed: index 'cloud_slug_ignoring_case'")

    conflict = conflict_from(error)

    assert (conflict.field, conflict.status) == ("slug", 409)
    assert conflict.message == "Cloud with this slug already exists."
