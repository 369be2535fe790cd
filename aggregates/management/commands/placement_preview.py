"""manage.py placement_preview SLUG --flavor ID [--az …] [--project …] [--json]."""

import json

from django.core.management.base import BaseCommand, CommandError

from aggregates import preview
from aggregates.api import preview_json
from aggregates.models import Cloud
from dashboard.errors import DomainError


class Command(BaseCommand):
    help = "Where Nova would place one server of a flavor in a cloud, host by host, and why."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--flavor", required=True, help="Nova flavor id")
        parser.add_argument("--az", default=None, help="requested availability zone")
        parser.add_argument("--project", default="", help="project id of the request")
        parser.add_argument("--json", action="store_true", help="the API's JSON")

    def handle(self, *args, **options):
        cloud = Cloud.objects.filter(slug=options["slug"]).first()
        if cloud is None:
            raise CommandError(f"No cloud {options['slug']}.")
        query = preview.PreviewQuery(
            flavor=options["flavor"],
            availability_zone=options["az"],
            project_id=options["project"],
        )
        try:
            outcome = preview.run_preview(cloud, query)
        except DomainError as error:
            raise CommandError(f"{error.field}: {error.message}") from error
        if options["json"]:
            self.stdout.write(json.dumps(preview_json.outcome_payload(outcome), indent=2))
            return
        result = outcome.result
        summary = result.summary
        self.stdout.write(
            f"{outcome.flavor.name} in {options['az'] or '(no zone)'}: {summary.candidates} of "
            f"{summary.hosts} hosts pass; best {', '.join(summary.best_hosts) or 'none'}; "
            f"{summary.total_slots} slots"
        )
        for message in result.errors:
            self.stdout.write(self.style.ERROR(f"error: {message}"))
        for message in result.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {message}"))
        for host in sorted(result.hosts, key=lambda h: (h.rank is None, h.rank or 0, h.host)):
            if host.passed:
                line = (
                    f"  #{host.rank:<4} {host.host:<30} weight {host.weight:.4f}  "
                    f"slots {host.slots}"
                )
            else:
                line = f"  {'-':<5} {host.host:<30} {host.failed_filter}: {host.reason}"
            self.stdout.write(line)
