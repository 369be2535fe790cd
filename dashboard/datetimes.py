"""Date-time inputs kept in UTC whatever offset they came with.

Python accepts offsets up to ±23:59 and PostgreSQL only up to ±15:59, so a query with
`since=…-18:17` used to fail in the database with a 500.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_filters import IsoDateTimeFilter
from django_filters.fields import IsoDateTimeField


class _InUtc:
    def to_python(self, value):
        result = super().to_python(value)  # type: ignore[misc]
        if result is not None and timezone.is_aware(result):
            try:
                result = result.astimezone(datetime.UTC)
            except OverflowError as exc:
                raise ValidationError("This date-time is out of range.", code="overflow") from exc
        return result


class UtcDateTimeField(_InUtc, forms.DateTimeField):
    pass


class UtcIsoDateTimeField(_InUtc, IsoDateTimeField):
    pass


class UtcIsoDateTimeFilter(IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
