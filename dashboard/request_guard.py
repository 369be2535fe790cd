"""Request contents the database or the parser cannot take, refused up front with a 400 that
says where they were, instead of a 500 further in:
- NUL characters (PostgreSQL text cannot hold one): the middleware checks the path, the query
  string and posted forms; the API's parsers check the parsed body (JSON escapes such as \\u0000
  only become NULs there);
- lone surrogates (a JSON escape such as \\ud800 with no partner): PostgreSQL refuses them, SQLite
  stores them and then cannot encode them on the way out;
- JSON nested deeper than any of our bodies needs: the parser would recurse until Python stops
  it, so the depth is measured on the raw text before parsing.
"""

import io
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

NUL = "\x00"
MESSAGE = "NUL characters are not allowed."
SURROGATE_MESSAGE = "Lone surrogate code points (such as \\ud800) are not allowed."
# Our deepest real body (a preview with hints and a change set) is about 5 levels.
MAX_JSON_DEPTH = 32
DEPTH_MESSAGE = f"JSON nested more than {MAX_JSON_DEPTH} levels deep is not accepted."
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _problem(text: str) -> str | None:
    if NUL in text:
        return MESSAGE
    if _LONE_SURROGATE.search(text):
        return SURROGATE_MESSAGE
    return None


def _named(where: str, key: Any) -> str:
    # A key may itself hold the lone surrogate: name it escaped, so the error can be sent.
    name = f"{where}.{key}" if where else str(key)
    return name.encode("utf-8", "backslashreplace").decode()


def bad_text_in(data: Any, where: str = "") -> tuple[str, str] | None:
    """The first place in parsed data (dicts, lists, strings, QueryDicts) holding a NUL or a lone
    surrogate, as (dotted field path, "" for the top level; message); None when there is none."""
    if isinstance(data, str):
        problem = _problem(data)
        return (where, problem) if problem else None
    if hasattr(data, "lists"):  # QueryDict: a field may repeat; it is named once
        for key, values in data.lists():
            for text in (key, *(v for v in values if isinstance(v, str))):
                problem = _problem(text)
                if problem:
                    return _named(where, key), problem
        return None
    if isinstance(data, dict):
        for key, value in data.items():
            problem = _problem(str(key))
            if problem:
                return _named(where, key), problem
            found = bad_text_in(value, _named(where, key))
            if found is not None:
                return found
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = bad_text_in(value, f"{where}[{index}]" if where else f"[{index}]")
            if found is not None:
                return found
    return None


def json_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in JSON text, strings left out; linear, no recursion."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b"", raw)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def form_problem(data: Any) -> tuple[str, str] | None:
    """A posted form's first problem: bad text, or a value that is JSON nested too deep (DRF
    parses a form value as JSON when it reaches a JSON field)."""
    found = bad_text_in(data)
    if found is not None:
        return found
    for key, values in data.lists():
        if any(_json_too_deep(value) for value in values):
            return _named("", key), DEPTH_MESSAGE
    return None


def _json_too_deep(value: Any) -> bool:
    looks_like_json = isinstance(value, str) and value.lstrip()[:1] in ("[", "{")
    return looks_like_json and json_depth(value.encode()) > MAX_JSON_DEPTH


class RefuseNulMiddleware:
    """The path, the query string and posted forms (Django parses POSTed forms itself: DRF's
    form parsers then never see them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _problem_of(request)
        if found is None:
            return self.get_response(request)
        where, message = found
        if request.path_info.startswith("/api/"):
            return JsonResponse({"errors": [{"field": where, "message": message}]}, status=400)
        context = {"status": 400, "message": f"{where}: {message}"}
        return render(request, "error.html", context, status=400)


def _problem_of(request: HttpRequest) -> tuple[str, str] | None:
    if NUL in request.path_info:
        return "path", MESSAGE
    found = bad_text_in(request.GET)
    if found is not None:
        return found
    if request.method == "POST" and request.content_type in FORMS:
        return form_problem(request.POST)
    return None


class _RefuseBadText:
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)  # type: ignore[misc]
        data = getattr(parsed, "data", parsed)
        found = form_problem(data) if hasattr(data, "lists") else bad_text_in(data)
        if found is not None:
            where, message = found
            raise ValidationError({where or "non_field_errors": [message]})
        return parsed


class JSONParser(_RefuseBadText, parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise ValidationError({"body": [DEPTH_MESSAGE]})
        return super().parse(io.BytesIO(raw), media_type, parser_context)


class FormParser(_RefuseBadText, parsers.FormParser):
    pass


class MultiPartParser(_RefuseBadText, parsers.MultiPartParser):
    pass
