"""Write steps shared by the meetup and board services: validate, save and audit in one go."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from dashboard import audit
from dashboard.errors import DomainError

M = TypeVar("M", bound=models.Model)
Check = Callable[[Any], None]


def validate(obj: models.Model, check: Check | None = None) -> None:
    """Field rules of the model, then the domain `check`; the first problem as a DomainError."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc
    if check is not None:
        check(obj)


def create(model: type[M], fields: dict, *, actor: Any, check: Check | None = None) -> M:
    """A new row of `model` from `fields` (many-to-many lists set after saving), audited."""
    plain, related = _split(model, fields)
    obj = model(**plain)
    validate(obj, check)
    with transaction.atomic():
        obj.save()
        for name, values in related.items():
            getattr(obj, name).set(values)
        audit.record_create(actor=actor, obj=obj)
    return obj


def update(obj: M, fields: dict, *, actor: Any, check: Check | None = None) -> M:
    """`obj` with `fields` changed, validated and audited; nothing is written if refused."""
    plain, related = _split(type(obj), fields)
    with transaction.atomic(), audit.recording(actor=actor, obj=obj):
        for name, value in plain.items():
            setattr(obj, name, value)
        validate(obj, check)
        obj.save()
        for name, values in related.items():
            getattr(obj, name).set(values)
    return obj


def delete(obj: models.Model, *, actor: Any) -> None:
    with transaction.atomic(), audit.recording_delete(actor=actor, obj=obj):
        obj.delete()


def _split(model: type[models.Model], fields: dict) -> tuple[dict, dict]:
    many = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in fields.items() if k not in many}
    return plain, {k: v for k, v in fields.items() if k in many}
