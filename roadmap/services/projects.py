"""Writes of projects, release series and milestones (the API's CRUD and the importer)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from dashboard import audit, permissions
from roadmap.models import Project


def _apply(obj: models.Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    # Their only constraint is the name's, unique ignoring case: the check below says it in words
    # (field "name"), where the constraint's own validation would name no field.
    obj.full_clean(validate_constraints=False)
    # Pages and API find projects, series and milestones by name regardless of case.
    twin = type(obj).objects.filter(name__iexact=obj.name).exclude(pk=obj.pk).first()
    if twin is not None:
        label = type(obj)._meta.verbose_name.capitalize()
        raise ValidationError({"name": f"{label} {twin.name} already exists (names ignore case)."})
    obj.save()


def create_object(model: type[models.Model], *, actor, leads=None, **fields) -> models.Model:
    """Create a project, series or milestone after its own field checks, audited."""
    with transaction.atomic():
        obj = model()
        _apply(obj, fields)
        if leads is not None:
            obj.leads.set(leads)
        audit.record_create(actor=actor, obj=obj)
    return obj


def update_object(obj: models.Model, *, actor, leads=None, **fields) -> models.Model:
    with transaction.atomic(), audit.recording(actor=actor, obj=obj):
        _apply(obj, fields)
        if leads is not None:
            obj.leads.set(leads)
    return obj


def delete_object(obj: models.Model, *, actor) -> None:
    """Delete; a series or milestone still targeted by blueprints is protected (ProtectedError)."""
    with transaction.atomic(), audit.recording_delete(actor=actor, obj=obj):
        obj.delete()


def create_project(*, actor, leads=(), **fields) -> Project:
    """Create a project; a project lead who creates one leads it (else nobody could edit it)."""
    leads = list(leads)
    if permissions.is_project_lead(actor) and actor not in leads:
        leads.append(actor)
    return create_object(Project, actor=actor, leads=leads, **fields)


def project_named(name: str, *, actor, title: str = "") -> Project:
    """The project called `name`, created (and audited) if missing."""
    project = Project.objects.filter(name=name).first()
    if project is None:
        project = create_project(actor=actor, name=name, title=title or name)
    return project
