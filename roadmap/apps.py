from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from roadmap.views import overview  # noqa: F401 - registers the overview tiles
