"""Numbers out of range name the range, in forms, serializers and services alike: one message,
one upper bound for integer columns, units read from the field's label or name."""

import re

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers

MAX_INT = 2_147_483_647  # PostgreSQL's integer, and Nova's schema bound for flavor integers
UNIT_IN_LABEL = re.compile(r"\((MB|GB|MiB|GiB|minutes|seconds)\)\s*$")
# Nova's sizes whose field names carry no unit (flavor ram/swap in MB, disks in GB).
UNIT_OF_NAME = {"ram": "MB", "swap": "MB", "disk": "GB", "ephemeral": "GB"}


def unit_of(name: str, label: str = "") -> str:
    """The unit a number is given in: from its label ("RAM (MB)") or its name (`memory_mb`)."""
    if match := UNIT_IN_LABEL.search(label or ""):
        return match.group(1)
    for suffix, unit in (("_mb", "MB"), ("_gb", "GB"), ("_minutes", "minutes")):
        if name.endswith(suffix):
            return unit
    return UNIT_OF_NAME.get(name, "")


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) or value != int(value) else f"{int(value):,}"


def between(minimum: float | None, maximum: float | None, unit: str = "") -> str:
    """ "must be between 1 and 1,048,576 MB" (or at least / at most, when one side is open)."""
    suffix = f" {unit}" if unit else ""
    if minimum is not None and maximum is not None:
        return f"must be between {_number(minimum)} and {_number(maximum)}{suffix}"
    if minimum is not None:
        return f"must be at least {_number(minimum)}{suffix}"
    return f"must be at most {_number(maximum)}{suffix}"


def _message(name: str, field) -> str:
    """The whole range of a form or serializer field, as a sentence."""
    text = between(field.min_value, field.max_value, unit_of(name, str(field.label or "")))
    return f"{text[:1].upper()}{text[1:]}."


class NamedRanges:
    """Form mixin: every integer field is bounded (at most MAX_INT unless narrower), and a
    number out of range is told the whole range with its unit, not one side of it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField) and field.max_value is None:
                field.max_value = self._column_limit(name)
                field.validators.append(MaxValueValidator(field.max_value))
                field.widget.attrs.setdefault("max", field.max_value)
            if isinstance(field, forms.IntegerField | forms.FloatField) and (
                field.min_value is not None or field.max_value is not None
            ):
                message = _message(name, field)
                field.error_messages = {
                    **field.error_messages,
                    "min_value": message,
                    "max_value": message,
                }

    def _column_limit(self, name: str) -> int:
        # A model form's column may be narrower (a small integer holds 32,767).
        model = getattr(getattr(self, "_meta", None), "model", None)
        try:
            validators = model._meta.get_field(name).validators if model else []
        except FieldDoesNotExist:
            validators = []
        limits = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
        return min([MAX_INT, *limits])


class NamedRangesSerializer:
    """Serializer mixin: a number out of range is a 400 naming the field (the error's key) and
    the whole range, instead of DRF's one-sided "Ensure this value is …"."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if not isinstance(field, serializers.IntegerField | serializers.FloatField):
                continue
            if field.min_value is None and field.max_value is None:
                continue
            message = _message(name, field)
            # DRF gives each bound's validator its message when the field is built; new ones
            # replace them (a validator may be shared with the model field).
            field.validators = [
                type(v)(v.limit_value, message=message)
                if isinstance(v, MinValueValidator | MaxValueValidator)
                else v
                for v in field.validators
            ]
        return fields
