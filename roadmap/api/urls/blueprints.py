"""/api/v1/projects/, series/, milestones/, blueprints/ (+ import, release preview)."""

from rest_framework.routers import SimpleRouter

from dashboard.api.views import ROOT_ENTRIES
from roadmap.api.views import blueprints as views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="api-project")
router.register("series", views.SeriesViewSet, basename="api-series")
router.register("milestones", views.MilestoneViewSet, basename="api-milestone")
router.register("blueprints", views.BlueprintViewSet, basename="api-blueprint")

urlpatterns = router.urls

for entry in (
    ("projects", "api-project-list"),
    ("series", "api-series-list"),
    ("milestones", "api-milestone-list"),
    ("blueprints", "api-blueprint-list"),
):
    if entry not in ROOT_ENTRIES:
        ROOT_ENTRIES.append(entry)
