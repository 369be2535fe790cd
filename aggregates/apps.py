from django.apps import AppConfig


class AggregatesConfig(AppConfig):
    name = "aggregates"
    verbose_name = "Resource segregation"
