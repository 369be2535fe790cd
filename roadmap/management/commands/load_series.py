"""manage.py load_series: (re)load release series and milestones from openstack-series.json."""

from django.core.management.base import BaseCommand

from roadmap.importers.release_calendar import load_release_calendar
from roadmap.models import Milestone, Series


class Command(BaseCommand):
    help = (
        "Create or update every release series and milestone of roadmap/data/openstack-series.json."
    )

    def handle(self, *args, **options) -> None:
        series, milestones = load_release_calendar(Series, Milestone)
        self.stdout.write(f"{series} series, {milestones} milestones loaded")
