from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from roadmap import (
            overview,  # noqa: F401 - registers the roadmap's overview tile
            overview_board,  # noqa: F401 - registers the overview tile
        )
