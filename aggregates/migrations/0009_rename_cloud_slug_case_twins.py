"""Before cloud slugs become unique ignoring case (0010): rename, never delete, the later of any
two clouds whose slugs differ only in case."""

from django.db import migrations

from dashboard.case_twins import rename_case_twins


def rename(apps, schema_editor):
    rename_case_twins(apps.get_model("aggregates", "Cloud"), "slug")


class Migration(migrations.Migration):
    dependencies = [("aggregates", "0008_sync_keeps_missing_rows")]
    # Going back keeps the new slugs: they are valid either way.
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
