"""What every page of a cloud needs: the cloud from the URL, a DomainError shown on a form, a
delete that asks first, CSV."""

import csv
from collections.abc import Callable, Iterable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from aggregates import queries
from aggregates.models import Cloud
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, leave_page


def cloud_of(request: HttpRequest, slug: str) -> Cloud:
    return get_object_or_404(queries.clouds_for(request.user), slug=slug)


def show_error(form: forms.Form, error: DomainError, *, aliases: dict | None = None) -> None:
    """Put a service's refusal next to its field (or on top of the form when no field matches)."""
    field = (aliases or {}).get(error.field, error.field)
    if field not in form.fields:
        prefix = (field or "").split(".", 1)[0]
        field = (aliases or {}).get(prefix, prefix if prefix in form.fields else None)
    form.add_error(field, error.message)


def delete_page(
    request: HttpRequest,
    cloud: Cloud,
    summary: queries.DeleteSummary,
    delete: Callable[[], None],
    *,
    cancel: str,
    done: str,
    message: str,
) -> HttpResponse:
    """GET asks first, naming what goes with the record (a fragment for htmx, else a page);
    POST deletes and leaves for `done` (HX-Redirect for htmx, else PRG), or shows the
    service's refusal in place (422)."""
    error = ""
    if request.method == "POST":
        try:
            delete()
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, message)
            return leave_page(request, done)
    template = (
        "aggregates/partials/_delete_confirm.html"
        if is_partial(request)
        else "aggregates/delete_confirm.html"
    )
    context = {
        "cloud": cloud,
        "summary": summary,
        "action": request.path,
        "cancel": cancel,
        "delete_error": error,
    }
    return render(request, template, context, status=422 if error else 200)


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
