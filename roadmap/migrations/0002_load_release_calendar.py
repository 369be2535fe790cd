"""Load OpenStack's release series and milestones (roadmap/data/openstack-series.json)."""

from django.db import migrations

from roadmap.importers.release_calendar import load_release_calendar


def load(apps, schema_editor):
    load_release_calendar(apps.get_model("roadmap", "Series"), apps.get_model("roadmap", "Milestone"))


def unload(apps, schema_editor):
    apps.get_model("roadmap", "Series").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("roadmap", "0001_projects_and_release_calendar")]
    operations = [migrations.RunPython(load, unload)]
