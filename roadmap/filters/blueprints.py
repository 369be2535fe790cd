"""The blueprint list's filters, for the page and /api/v1/blueprints/ alike."""

import django_filters
from django.db.models import Q, QuerySet

from roadmap.choices import DefinitionStatus, ImplementationStatus, LifecycleStatus, Priority
from roadmap.models import Blueprint, Milestone, Series


class BlueprintFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__name", label="Project")
    series = django_filters.CharFilter(field_name="series__name", lookup_expr="iexact")
    milestone = django_filters.CharFilter(field_name="milestone__name", lookup_expr="iexact")
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    definition_status = django_filters.ChoiceFilter(choices=DefinitionStatus.choices)
    implementation_status = django_filters.ChoiceFilter(choices=ImplementationStatus.choices)
    lifecycle_status = django_filters.ChoiceFilter(choices=LifecycleStatus.choices)
    assignee = django_filters.CharFilter(lookup_expr="iexact")
    tag = django_filters.CharFilter(field_name="tags__name", lookup_expr="iexact")
    q = django_filters.CharFilter(method="search", label="Text")

    class Meta:
        model = Blueprint
        fields = [
            "project",
            "series",
            "milestone",
            "priority",
            "definition_status",
            "implementation_status",
            "lifecycle_status",
            "assignee",
            "tag",
            "q",
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(whiteboard__icontains=value)
        )


class SeriesFilter(django_filters.FilterSet):
    status = django_filters.CharFilter()

    class Meta:
        model = Series
        fields = ["status"]


class MilestoneFilter(django_filters.FilterSet):
    series = django_filters.CharFilter(field_name="series__name", lookup_expr="iexact")

    class Meta:
        model = Milestone
        fields = ["series", "kind"]
