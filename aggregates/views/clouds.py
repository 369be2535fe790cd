"""Pages of clouds: the list (every signed-in user)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aggregates import queries
from dashboard import permissions


@permissions.signin_required
@require_GET
def cloud_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "aggregates/cloud_list.html", {"clouds": queries.clouds_for(request.user)}
    )
