"""manage.py sync_cloud SLUG: one sync of a connected cloud in the foreground."""

from django.core.management.base import BaseCommand, CommandError

from aggregates.models import Cloud
from aggregates.sync import reconcile
from aggregates.sync.errors import ComputeError
from dashboard import locks


class Command(BaseCommand):
    help = "Mirror one connected cloud from its compute API now; exits non-zero with the reason."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        cloud = Cloud.objects.filter(slug=slug).first()
        if cloud is None:
            raise CommandError(f"No cloud {slug!r}.")
        if not cloud.is_connected:
            raise CommandError(f"Cloud {slug} is local: there is no compute API to sync from.")
        with locks.cloud_lock(cloud.pk) as held:
            if not held:
                raise CommandError(f"Another sync of {slug} is running (its lock is held).")
            try:
                run = reconcile.sync_cloud(cloud)
            except ComputeError as error:
                raise CommandError(
                    f"Sync of {slug} failed ({error.status}): {error.message}"
                ) from error
        self.stdout.write(
            f"Synced {slug} at microversion {run.microversion} in {run.duration_ms} ms "
            f"(write {run.write_ms} ms): {run.created} created, {run.updated} updated, "
            f"{run.deleted} deleted."
        )
