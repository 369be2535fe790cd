"""FilterSets of site-wide lists, for pages and API alike."""

import django_filters

from dashboard.datetimes import UtcIsoDateTimeFilter
from dashboard.models import AuditEntry
from dashboard.sorting import SortFilter


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="iexact")
    object_type = django_filters.CharFilter()
    object_id = django_filters.CharFilter()
    action = django_filters.ChoiceFilter(
        choices=AuditEntry.Action.choices, empty_label="Any action"
    )
    since = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    sort = SortFilter(
        fields=(
            ("created_at", "time"),
            ("actor_name", "actor"),
            ("action", "action"),
            ("object_type", "object"),
        )
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "object_type", "object_id", "action", "since"]
