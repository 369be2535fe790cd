"""manage.py drain_plan SLUG --host NAME … | --aggregate ID_OR_NAME | --zone NAME [--csv|--json]."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from aggregates import preview
from aggregates.api.planning import plan_json
from aggregates.models import Cloud
from dashboard.errors import DomainError


class Command(BaseCommand):
    help = "Where each server of hosts, an aggregate or a zone would go if they were drained."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--host", action="append", dest="hosts", help="repeat for several")
        target.add_argument("--aggregate", help="aggregate id or name")
        target.add_argument("--zone", help="availability zone")
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--csv", action="store_true", help="one CSV row per server")
        output.add_argument("--json", action="store_true", help="the API's JSON")

    def handle(self, *args, **options):
        cloud = Cloud.objects.filter(slug=options["slug"]).first()
        if cloud is None:
            raise CommandError(f"No cloud {options['slug']}.")
        query = preview.DrainQuery(
            hosts=options["hosts"], aggregate=options["aggregate"], zone=options["zone"]
        )
        try:
            outcome = preview.run_drain(cloud, query)
        except DomainError as error:
            raise CommandError(f"{error.field}: {error.message}") from error
        plan = outcome.plan
        if options["json"]:
            payload = plan_json(plan, outcome.change_notes, outcome.timings_ms)
            self.stdout.write(json.dumps(payload, indent=2))
            return
        rows = preview.plan_rows(plan)
        if options["csv"]:
            writer = csv.writer(self.stdout)
            writer.writerow(preview.CSV_HEADER)
            writer.writerows(rows)
            return
        self.stdout.write(
            f"drain {', '.join(plan.drained)}: {len(plan.moves)} servers, {plan.placed} placed, "
            f"{plan.unplaceable} unplaceable"
        )
        for name, _uuid, source, flavor, _project, destination, why in rows:
            target = f"-> {destination}" if destination else f"nowhere: {why}"
            self.stdout.write(f"  {name:<30} {flavor:<20} {source} {target}")
