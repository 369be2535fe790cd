"""Roadmap pages: projects, series, milestones and blueprints."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roadmap.models import Series


@require_GET
def roadmap_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "roadmap/index.html", {"series": Series.objects.order_by("-release_date")}
    )
