"""conflict_from: the unique index's refusal read back as the field and the service's status,
on PostgreSQL and SQLite alike (the race tests in tests/races need PostgreSQL)."""

import pytest
from django.db import IntegrityError, transaction

from aggregates.models import Aggregate
from aggregates.tests.factories import AggregateFactory, CloudFactory
from dashboard.errors import conflict_from
from roadmap.models import Project

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
