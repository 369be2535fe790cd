"""One way for pages to run a form through a service: refusals land next to their field (422)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import models

from dashboard.errors import DomainError


def submit(form: forms.BaseForm, write: Callable[[dict], Any]) -> Any | None:
    """`write(cleaned_data)` if the form is valid; None when the form or the service refused."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except DomainError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None


class ShapeOnly:
    """ModelForm mixin: check fields and types only; the service validates the whole row."""

    def _post_clean(self) -> None:
        pass


def https_by_default(field: models.Field, **kwargs) -> forms.Field | None:
    """Model form fields as usual; links typed without a scheme are taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


DASHES = "---------"  # Django's empty choice label, which reads as nothing at all


class WordedEmptyChoices:
    """Form mixin: the empty choice of a select says what choosing it means ("No series goal",
    "Choose an owner") instead of Django's dashes; `empty_labels` names them per field."""

    empty_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = self.empty_labels.get(name) or ("Choose one" if field.required else "None")
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == DASHES:
                field.empty_label = label
                field.widget.choices = field.choices
            elif isinstance(field, forms.ChoiceField):
                blank = ("", DASHES)
                choices = list(field.choices)
                if blank in choices:
                    field.choices = [("", label) if c == blank else c for c in choices]
