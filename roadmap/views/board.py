"""Board pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def board_index(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/board_index.html")
