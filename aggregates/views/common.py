"""What every page of a cloud needs: the cloud from the URL, a DomainError shown on a form, CSV."""

import csv
from collections.abc import Iterable

from django import forms
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from aggregates import queries
from aggregates.models import Cloud
from dashboard.errors import DomainError


def cloud_of(request: HttpRequest, slug: str) -> Cloud:
    return get_object_or_404(queries.clouds_for(request.user), slug=slug)


def show_error(form: forms.Form, error: DomainError, *, aliases: dict | None = None) -> None:
    """Put a service's refusal next to its field (or on top of the form when no field matches)."""
    field = (aliases or {}).get(error.field, error.field)
    if field not in form.fields:
        prefix = (field or "").split(".", 1)[0]
        field = (aliases or {}).get(prefix, prefix if prefix in form.fields else None)
    form.add_error(field, error.message)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
