"""Pages: a unique index that caught a race answers as the service's own check would (the API's
exception handler does the same for API views), never with a 500."""

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.errors import conflict_from


class UniqueRaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, IntegrityError):
            return None
        conflict = conflict_from(exception)
        if conflict is None:
            return None
        message = f"{conflict.field}: {conflict.message}" if conflict.field else conflict.message
        context = {"status": conflict.status, "message": message}
        return render(request, "error.html", context, status=conflict.status)
