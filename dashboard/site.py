"""Site-wide answers outside any app: the error pages and the favicon."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.http import require_safe

SERVER_ERROR = "Something went wrong on our side. It has been logged."


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page links; temporary, as the file name is hashed.
    return redirect(static("favicon.svg"))


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 403, "error.html", "You don't have access to this page.")


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 404, "404.html", "There is no page at this address.")


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error(500, SERVER_ERROR)
    # Rendered without the request: its context (the user, their roles, the session) needs the
    # database, which may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"status": 500}))


def _error_page(request: HttpRequest, status: int, template: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error(status, message)
    return render(request, template, {"status": status, "message": message}, status=status)


def _api_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"errors": [{"field": None, "message": message}]}, status=status)
