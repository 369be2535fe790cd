"""Clouds, hosts, aggregates, zones and flavors; the placement engine; sync; utilisation."""

from django.apps import AppConfig


class AggregatesConfig(AppConfig):
    name = "aggregates"
    verbose_name = "Resource segregation"

    def ready(self) -> None:
        from aggregates.views import overview  # noqa: F401 - registers the overview tiles
