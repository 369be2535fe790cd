"""FilterSets of meetup lists, for pages and API alike."""

import django_filters

from roadmap.choices import MeetupKind
from roadmap.models import Meetup


class MeetupFilter(django_filters.FilterSet):
    series = django_filters.CharFilter(field_name="series__name", lookup_expr="iexact")
    project = django_filters.CharFilter(field_name="project__name")
    kind = django_filters.ChoiceFilter(choices=MeetupKind.choices)
    after = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")

    class Meta:
        model = Meetup
        fields = ["series", "project", "kind", "after"]
