"""Pages of the roadmap, meetups and board."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def roadmap_index(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/index.html")


@require_GET
def meetup_list(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/meetup_list.html")


@require_GET
def board_index(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/board_index.html")
