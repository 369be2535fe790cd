"""Migrations roadmap 0005 and aggregates 0009: names that differ only in case, from before
the case-insensitive unique indexes, are renamed (never deleted) and each rename reported."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aggregates.models import Cloud
from roadmap.models import Blueprint, Milestone, Project, Series

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [
    ("roadmap", "0004_merge_blueprints_and_board"),
    ("aggregates", "0008_sync_keeps_missing_rows"),
]


@pytest.fixture
def old_schema():
    """The models' state before the indexes; the schema is migrated forward again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        yield executor.loader.project_state(BEFORE).apps
    finally:
        migrate_to_latest()


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_later_twins_are_renamed_and_each_rename_is_reported(old_schema, capsys):
    apps = old_schema
    project = apps.get_model("roadmap", "Project")
    nova = project.objects.create(name="nova", title="Nova")
    nova_twin = project.objects.create(name="Nova", title="Nova again")
    project.objects.create(name="nova-2", title="Taken suffix")
    glance = project.objects.create(name="glance", title="Glance")
    juno = apps.get_model("roadmap", "Series").objects.get(name="Juno")
    apps.get_model("roadmap", "Series").objects.create(name="JUNO", status="maintained")
    apps.get_model("roadmap", "Milestone").objects.create(
        series=juno, name="JUNO-2", kind="milestone"
    )
    blueprint = apps.get_model("roadmap", "Blueprint")
    blueprint.objects.create(project=nova, name="live-resize", title="A")
    blueprint.objects.create(project=nova, name="Live-Resize", title="B")
    blueprint.objects.create(project=glance, name="LIVE-RESIZE", title="C")  # another project
    cloud = apps.get_model("aggregates", "Cloud")
    cloud.objects.create(slug="devstack", name="DevStack")
    cloud.objects.create(slug="DevStack", name="DevStack again")
    capsys.readouterr()

    migrate_to_latest()

    # The oldest keeps its name; a later one gets the first free suffix, its case kept.
    assert sorted(Project.objects.values_list("name", flat=True)) == [
        "Nova-3",
        "glance",
        "nova",
        "nova-2",
    ]
    assert Project.objects.get(pk=nova_twin.pk).title == "Nova again"
    assert Series.objects.filter(name__in=["Juno", "JUNO-2"]).count() == 2
    assert Milestone.objects.filter(name="JUNO-2-2").exists()
    assert sorted(Blueprint.objects.values_list("project__name", "name")) == [
        ("glance", "LIVE-RESIZE"),
        ("nova", "Live-Resize-2"),
        ("nova", "live-resize"),
    ]
    assert sorted(Cloud.objects.values_list("slug", flat=True)) == ["DevStack-2", "devstack"]
    report = capsys.readouterr().out.splitlines()
    assert (
        f"roadmap.Project {nova_twin.pk}: renamed 'Nova' to 'Nova-3'; it differed only in "
        f"case from 'nova' (roadmap.Project {nova.pk})." in report
    )
    assert len(report) == 5, report
    assert all("differed only in case" in line for line in report)


def test_without_twins_the_migrations_say_nothing(old_schema, capsys):
    apps = old_schema
    apps.get_model("roadmap", "Project").objects.create(name="nova", title="Nova")
    capsys.readouterr()

    migrate_to_latest()

    assert capsys.readouterr().out == ""
