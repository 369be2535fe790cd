"""The create/edit page shape shared by meetup and board pages: GET the form, POST to a service."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from roadmap.forms.handling import submit


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
