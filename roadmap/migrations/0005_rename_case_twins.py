"""Before names become unique ignoring case (0006): rename, never delete, the later of any two
projects, series, milestones or blueprints of one project whose names differ only in case."""

from django.db import migrations

from dashboard.case_twins import rename_case_twins


def rename(apps, schema_editor):
    for model_name in ("Project", "Series", "Milestone"):
        rename_case_twins(apps.get_model("roadmap", model_name), "name")
    rename_case_twins(apps.get_model("roadmap", "Blueprint"), "name", scope=("project",))


class Migration(migrations.Migration):
    dependencies = [("roadmap", "0004_merge_blueprints_and_board")]
    # Going back keeps the new names: they are valid either way.
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
