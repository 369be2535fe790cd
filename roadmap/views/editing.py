"""Page shapes shared by roadmap pages: a create/edit form posting to a service, and a delete
that asks first."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dashboard.htmx import is_partial, leave_page
from roadmap.forms.handling import submit
from roadmap.queries.deletes import DeleteSummary


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict], Any],
    *,
    template: str,
    context: dict,
    done: Callable[[Any], str],
) -> HttpResponse:
    """Render `form`; on POST run `write`, then redirect to `done(obj)` or re-render with 422."""
    status = 200
    if request.method == "POST":
        obj = submit(form, write)
        if obj is not None:
            messages.success(request, f"Saved “{obj}”.")
            return redirect(done(obj))
        status = 422
    return render(request, template, {**context, "form": form}, status=status)


def delete_page(
    request: HttpRequest,
    summary: DeleteSummary,
    delete: Callable[[], None],
    *,
    cancel: str,
    done: str,
    message: str,
) -> HttpResponse:
    """GET asks first, naming what goes with the record (a fragment for htmx, else a page);
    POST runs `delete` and leaves for `done` (HX-Redirect for htmx, else PRG)."""
    if request.method == "POST":
        delete()
        messages.success(request, message)
        return leave_page(request, done)
    template = (
        "roadmap/partials/_delete_confirm.html"
        if is_partial(request)
        else "roadmap/delete_confirm.html"
    )
    context = {"summary": summary, "action": request.path, "cancel": cancel}
    return render(request, template, context)
