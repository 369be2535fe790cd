"""manage.py import_launchpad FILE|--url URL --project NAME [--series NAME]: all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roadmap.importers import launchpad
from roadmap.models import Series
from roadmap.services.blueprints import import_launchpad_collection


class Command(BaseCommand):
    help = (
        "Import Launchpad blueprints from a web-service collection page (a file) or from its "
        "URL, following next_collection_link. Re-importing updates; a bad entry refuses all."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="a saved collection page (JSON)")
        parser.add_argument(
            "--url", help="the collection's URL, e.g. …/devel/nova/juno/all_specifications"
        )
        parser.add_argument(
            "--project", required=True, help="our project name (created if missing)"
        )
        parser.add_argument("--series", help="series goal of every entry, e.g. juno")

    def handle(self, *args, file=None, url=None, project=None, series=None, **options) -> None:
        if bool(file) == bool(url):
            raise CommandError("Give either FILE or --url.")
        series_obj = None
        if series:
            series_obj = Series.objects.filter(name__iexact=series).first()
            if series_obj is None:
                raise CommandError(f"--series: no series called {series!r}.")
        try:
            collection = launchpad.fetch_collection(url) if url else launchpad.read_file(Path(file))
            result = import_launchpad_collection(project, collection, actor=None, series=series_obj)
        except launchpad.ImportRefused as refused:
            report = "\n".join(f"  - {problem}" for problem in refused.problems)
            raise CommandError(
                f"Nothing was imported; {len(refused.problems)} problem(s):\n{report}"
            ) from refused
        self.stdout.write(result.summary())
