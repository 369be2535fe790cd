"""Blueprint services: Launchpad's derived rules, history, dependencies without cycles."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from roadmap.choices import lifecycle_of
from roadmap.models import Blueprint, BlueprintDependency, BlueprintStatusChange
from roadmap.services.blueprints import (
    BlueprintNameTaken,
    DependencyCycle,
    MilestoneNotInSeries,
    update_blueprint,
)
from roadmap.tests.factories import ProjectFactory, juno, make_blueprint, milestone

pytestmark = pytest.mark.django_db


# launchpad-blueprint-shape.md §4, each case straight from the rule's clauses.
@pytest.mark.parametrize(
    ("definition", "implementation", "expected"),
    [
        ("Approved", "Implemented", "Complete"),
        ("New", "Implemented", "Complete"),
        ("Obsolete", "Not started", "Complete"),
        ("Superseded", "Started", "Complete"),
        ("Approved", "Informational", "Complete"),
        ("Drafting", "Informational", "Not started"),
        ("Approved", "Unknown", "Not started"),
        ("Approved", "Not started", "Not started"),
        ("Approved", "Deferred", "Not started"),
        ("Approved", "Needs Infrastructure", "Started"),
        ("Approved", "Blocked", "Started"),
        ("New", "Good progress", "Started"),
        ("Approved", "Needs Code Review", "Started"),
        ("Approved", "Deployment", "Started"),
    ],
)
def test_lifecycle_follows_launchpad(definition, implementation, expected):
    assert lifecycle_of(definition, implementation) == expected


def test_create_records_history_and_stamps_dates():
    project = ProjectFactory(name="nova")

    bp = make_blueprint(project, "scheduler-lib", implementation_status="Started")

    assert bp.lifecycle_status == "Started"
    assert bp.date_started is not None and bp.date_completed is None
    assert list(bp.history.values_list("lifecycle_status", "note")) == [("Started", "created")]


def test_status_change_adds_history_and_falling_back_clears_the_start_date():
    bp = make_blueprint(ProjectFactory(name="nova"), "scheduler-lib")

    update_blueprint(bp, actor=None, implementation_status="Implemented")
    update_blueprint(bp, actor=None, title="A new title only")
    update_blueprint(bp, actor=None, implementation_status="Not started")

    bp.refresh_from_db()
    assert (bp.lifecycle_status, bp.date_started, bp.date_completed) == ("Not started", None, None)
    assert list(bp.history.values_list("lifecycle_status", flat=True)) == [
        "Not started",
        "Complete",
        "Not started",
    ]


def test_milestone_sets_the_series_goal_and_must_belong_to_it():
    project = ProjectFactory(name="nova")
    bp = make_blueprint(project, "numa", milestone=milestone("juno-2"))
    assert bp.series == juno()

    with pytest.raises(MilestoneNotInSeries, match="kilo-1 belongs to Kilo"):
        update_blueprint(bp, actor=None, milestone=milestone("kilo-1"), series=juno())

    bp.refresh_from_db()
    assert bp.milestone.name == "juno-2"


def test_dependency_cycle_is_refused_naming_the_cycle():
    project = ProjectFactory(name="nova")
    a = make_blueprint(project, "a-objects")
    b = make_blueprint(project, "b-conductor", dependencies=[a])
    c = make_blueprint(project, "c-upgrades", dependencies=[b])

    with pytest.raises(DependencyCycle) as refused:
        update_blueprint(a, actor=None, dependencies=[c])

    assert refused.value.field == "dependencies"
    assert "nova/a-objects → nova/c-upgrades → nova/b-conductor → nova/a-objects" in str(
        refused.value
    )
    assert not BlueprintDependency.objects.filter(blueprint=a).exists()


def test_depending_on_itself_is_a_cycle():
    bp = make_blueprint(ProjectFactory(name="nova"), "solo")

    with pytest.raises(DependencyCycle, match="nova/solo → nova/solo"):
        update_blueprint(bp, actor=None, dependencies=[bp])


def test_a_refused_update_writes_nothing():
    project = ProjectFactory(name="nova")
    a = make_blueprint(project, "a-one")
    b = make_blueprint(project, "b-two", dependencies=[a])
    history = BlueprintStatusChange.objects.count()

    with pytest.raises(DependencyCycle):
        update_blueprint(a, actor=None, implementation_status="Started", dependencies=[b])

    assert Blueprint.objects.get(pk=a.pk).implementation_status == "Unknown"
    assert BlueprintStatusChange.objects.count() == history


def test_name_must_follow_launchpads_pattern_and_be_unique_per_project():
    project = ProjectFactory(name="nova")
    make_blueprint(project, "taken")

    with pytest.raises(ValidationError) as bad:
        make_blueprint(project, "Bad_Name")
    assert "name" in bad.value.message_dict
    with pytest.raises(BlueprintNameTaken, match="nova already has a blueprint called taken"):
        make_blueprint(project, "taken")
    make_blueprint(ProjectFactory(name="neutron"), "taken")  # another project may reuse it

    assert Blueprint.objects.filter(name="taken").count() == 2


def test_a_name_that_differs_only_in_case_is_taken_too():
    project = ProjectFactory(name="nova")
    make_blueprint(project, "live-resize")

    with pytest.raises(BlueprintNameTaken, match="nova already has a blueprint called Live-Resize"):
        make_blueprint(project, "Live-Resize")

    assert Blueprint.objects.filter(project=project).count() == 1


def test_blocked_by_an_incomplete_dependency():
    from roadmap.queries.blueprints import blueprints_for_list

    project = ProjectFactory(name="nova")
    base = make_blueprint(project, "base")
    top = make_blueprint(project, "top", dependencies=[base])

    assert blueprints_for_list().get(pk=top.pk).is_blocked is True
    update_blueprint(base, actor=None, implementation_status="Implemented")
    assert blueprints_for_list().get(pk=top.pk).is_blocked is False


def test_gerrit_changes_are_read_from_the_whiteboard():
    bp = make_blueprint(
        ProjectFactory(name="nova"),
        "weigher",
        whiteboard="Notes\n\nAddressed by: https://review.openstack.org/100001\n    Add it\n"
        "Addressed by: https://review.opendev.org/200002\n",
    )
    assert bp.gerrit_changes == [100001, 200002]


def test_created_date_is_now():
    before = timezone.now()
    bp = make_blueprint(ProjectFactory(name="nova"), "fresh")
    assert before <= bp.date_created <= timezone.now() + datetime.timedelta(seconds=1)
