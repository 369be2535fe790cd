"""manage.py run_compute_simulator: serve the Nova-compatible simulator (demo, bench, by hand)."""

import time

from django.core.management.base import BaseCommand, CommandError

from aggregates.demo.simulator import CloudState, Simulator
from aggregates.demo.simulator.app import parse_fault
from aggregates.demo.simulator.scenarios import seed_large, seed_tour


class Command(BaseCommand):
    help = "Serve a simulated Nova + Placement API on 127.0.0.1 until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=18870)
        parser.add_argument("--scenario", choices=["tour", "large", "empty"], default="tour")
        parser.add_argument("--hosts", type=int, default=10_000)
        parser.add_argument("--aggregates", type=int, default=500)
        parser.add_argument("--flavors", type=int, default=300)
        parser.add_argument("--clouds-yaml", help="write (or extend) this clouds.yaml")
        parser.add_argument("--cloud-name", default="simulator", help="its entry's name")
        parser.add_argument(
            "--fault",
            action="append",
            default=[],
            metavar="KIND[:option=value,...]",
            help="inject a fault, repeatable: error, slow, truncated, repeat_page, mangle or "
            "down, with path, times, seconds, status, page, field "
            "(e.g. truncated:path=/os-hypervisors,page=1)",
        )

    def handle(self, *args, **options):
        try:
            faults = [parse_fault(spec) for spec in options["fault"]]
        except ValueError as error:
            raise CommandError(f"--fault: {error}") from error
        state = CloudState()
        if options["scenario"] == "tour":
            seed_tour(state)
        elif options["scenario"] == "large":
            seed_large(
                state,
                hosts=options["hosts"],
                aggregates=options["aggregates"],
                flavors=options["flavors"],
            )
        simulator = Simulator(state, port=options["port"]).start()
        simulator.app.faults.extend(faults)
        if options["clouds_yaml"]:
            from pathlib import Path

            simulator.write_clouds_yaml(Path(options["clouds_yaml"]), options["cloud_name"])
        self.stdout.write(f"READY {simulator.url}/v2.1", ending="\n")
        self.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            simulator.stop()
