"""Meetup pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def meetup_list(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/meetup_list.html")
