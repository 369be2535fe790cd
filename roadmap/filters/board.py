"""FilterSets of board lists, applied to querysets already limited to what the user may see."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from roadmap.choices import ActionItemStatus, BoardItemStatus
from roadmap.models import ActionItem, BoardItem, BoardMeeting


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number (a decimal such as 6e-215 reached the database as a 500)."""

    field_class = forms.IntegerField


class BoardMeetingFilter(django_filters.FilterSet):
    year = YearFilter(field_name="date", lookup_expr="year", min_value=1, max_value=9999)
    after = django_filters.DateFilter(field_name="date", lookup_expr="gte")

    class Meta:
        model = BoardMeeting
        fields = ["year", "after"]


class BoardItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=BoardItemStatus.choices)
    meeting = django_filters.NumberFilter(field_name="meeting_id")

    class Meta:
        model = BoardItem
        fields = ["q", "status", "meeting"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(topic__icontains=value)
            | Q(summary__icontains=value)
            | Q(decision__icontains=value)
            | Q(presenter__icontains=value)
        )


class ActionItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionItemStatus.choices)
    owner = django_filters.CharFilter(field_name="owner__username")
    item = django_filters.NumberFilter(field_name="item_id")

    class Meta:
        model = ActionItem
        fields = ["status", "owner", "item"]
