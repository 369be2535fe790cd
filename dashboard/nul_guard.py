"""PostgreSQL text cannot hold a NUL character, so a request carrying one would fail in the
database with a 500. It is refused up front instead, with a 400 that says where the NUL was:
the middleware checks the path, the query string and posted forms; the API's parsers check the
parsed body (JSON escapes such as \\u0000 only become NULs there)."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

NUL = "\x00"
MESSAGE = "NUL characters are not allowed."
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_in(data: Any, where: str = "") -> str | None:
    """The first place in parsed data (dicts, lists, strings, QueryDicts) holding a NUL: a dotted
    field path, "" for the top level; None when there is none."""
    if isinstance(data, str):
        return where if NUL in data else None
    if hasattr(data, "lists"):  # QueryDict: a field may repeat; it is named once
        for key, values in data.lists():
            if NUL in key or any(isinstance(v, str) and NUL in v for v in values):
                return f"{where}.{key}" if where else key
        return None
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{where}.{key}" if where else str(key)
            if NUL in str(key):
                return name
            found = nul_in(value, name)
            if found is not None:
                return found
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = nul_in(value, f"{where}[{index}]" if where else f"[{index}]")
            if found is not None:
                return found
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _where(request)
        if where is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"errors": [{"field": where, "message": MESSAGE}]}, status=400)
        context = {"status": 400, "message": f"{where}: {MESSAGE}"}
        return render(request, "error.html", context, status=400)


def _where(request: HttpRequest) -> str | None:
    if NUL in request.path_info:
        return "path"
    found = nul_in(request.GET)
    if found is not None:
        return found
    if request.method == "POST" and request.content_type in FORMS:
        return nul_in(request.POST)
    return None


class _RefuseNul:
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)  # type: ignore[misc]
        where = nul_in(getattr(parsed, "data", parsed))
        if where is not None:
            raise ValidationError({where or "non_field_errors": [MESSAGE]})
        return parsed


class JSONParser(_RefuseNul, parsers.JSONParser):
    pass


class FormParser(_RefuseNul, parsers.FormParser):
    pass


class MultiPartParser(_RefuseNul, parsers.MultiPartParser):
    pass
