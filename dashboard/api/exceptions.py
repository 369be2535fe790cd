"""One JSON error format for every 4xx: {"errors": [{"field": ..., "message": ...}]}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dashboard.errors import DomainError, conflict_from


def _flatten(detail, field: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list; nested fields are joined with dots."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else key
            errors += _flatten(value, f"{field}.{name}" if field and name else (name or field))
        return errors
    if isinstance(detail, list):
        errors = []
        for index, item in enumerate(detail):
            nested = isinstance(item, dict | list) and field is not None
            errors += _flatten(item, f"{field}[{index}]" if nested else field)
        return errors
    return [{"field": field, "message": str(detail)}]


def errors_response(errors: list[dict], status_code: int, headers: dict | None = None) -> Response:
    return Response({"errors": errors}, status=status_code, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, IntegrityError):
        exc = conflict_from(exc) or exc  # a race the service's check lost: its answer
    if isinstance(exc, DomainError):
        return errors_response([{"field": exc.field, "message": exc.message}], exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return errors_response(_flatten(detail), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"errors": _flatten(response.data)}
    return response
