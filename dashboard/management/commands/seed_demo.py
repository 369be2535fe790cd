"""Load the demo: one sign-in per role, then each app's demo data (clouds, roadmap, board)."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from dashboard.demo import DEMO_PASSWORD, DEMO_USERS, seed_users

APP_SEEDERS = (
    "aggregates.demo.tour",
    "aggregates.demo.connected",
    "roadmap.demo.blueprints",
    "roadmap.demo.board",
)


class Command(BaseCommand):
    help = "Create the demo users and realistic demo data. Safe to run again."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            users = seed_users()
            for module_name in APP_SEEDERS:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if not module_name.startswith(exc.name or "-"):
                        raise  # a missing import inside an existing seeder is a real error
                    continue
                summary = module.seed(users=users)
                self.stdout.write(f"{module_name}: {summary}")
        for username, (role, _) in DEMO_USERS.items():
            self.stdout.write(
                f"  sign in as {username} / {DEMO_PASSWORD}  ({role or 'member, no role'})"
            )
