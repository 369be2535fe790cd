"""Deterministic factories of roadmap rows (blueprints go through the service, as pages do)."""

import factory

from roadmap.models import Milestone, Project, Series
from roadmap.services import blueprints as services


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"project-{n:03d}")
    title = factory.LazyAttribute(lambda p: p.name.title())

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)


def juno() -> Series:
    return Series.objects.get(name="Juno")


def milestone(name: str) -> Milestone:
    return Milestone.objects.get(name=name)


_counter = iter(range(1, 10**6))


def make_blueprint(project: Project, name: str | None = None, *, actor=None, **fields):
    """A blueprint created through the service (history, lifecycle and audit as in real use)."""
    name = name or f"blueprint-{next(_counter):04d}"
    fields.setdefault("title", f"Title of {name}")
    return services.create_blueprint(project, actor=actor, name=name, **fields)
