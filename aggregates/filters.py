"""One FilterSet per listed model, for pages and API alike (filters live in the query string)."""

import django_filters
from django.db.models import Q

from aggregates.choices import HostState, HostStatus, ServerStatus, SyncStatus
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server, SyncRun
from aggregates.models.aggregates import AZ_KEY
from dashboard.sorting import SortFilter


def hosts_in_zone(zone: str, *, is_default: bool) -> Q:
    """Hosts Nova puts in `zone`: members of an aggregate with that AZ, and — for the cloud's
    default zone — hosts in no AZ aggregate at all (nova-scheduling.md §2.2)."""
    in_az_aggregate = Q(
        pk__in=Host.objects.filter(aggregates__metadata__availability_zone=zone).values("pk")
    )
    if not is_default:
        return in_az_aggregate
    in_any_az = Host.objects.filter(aggregates__metadata__has_key=AZ_KEY).values("pk")
    return in_az_aggregate | ~Q(pk__in=in_any_az)


CLOUD_SORT = (("name", "name"), ("region", "region"), ("kind", "kind"))


class CloudFilter(django_filters.FilterSet):
    """The clouds list as members see it: no counts, so no sorting by them."""

    sort = SortFilter(fields=CLOUD_SORT)

    class Meta:
        model = Cloud
        fields: list[str] = []


class CloudTableFilter(CloudFilter):
    """Admins' clouds table (queries.clouds_for_table): also by its counts and last sync."""

    sort = SortFilter(
        fields=(
            *CLOUD_SORT,
            ("host_count", "hosts"),
            ("aggregate_count", "aggregates"),
            ("flavor_count", "flavors"),
            ("last_sync_at", "last_sync"),
        )
    )


class HostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    zone = django_filters.CharFilter(method="in_zone", label="Availability zone")
    aggregate = django_filters.NumberFilter(method="in_aggregate", label="Aggregate id")
    status = django_filters.ChoiceFilter(choices=HostStatus.choices, empty_label="Any status")
    state = django_filters.ChoiceFilter(choices=HostState.choices, empty_label="Any state")
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("vcpus", "vcpus"),
            ("memory_mb", "memory_mb"),
            ("local_gb", "local_gb"),
            ("vcpus_used", "vcpus_used"),
            ("memory_mb_used", "memory_mb_used"),
            ("local_gb_used", "local_gb_used"),
            ("running_vms", "running_vms"),
            ("status", "status"),
            ("state", "state"),
        ),
    )

    class Meta:
        model = Host
        fields = ["q", "zone", "aggregate", "status", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(hypervisor_hostname__icontains=value))

    def in_zone(self, queryset, name, value):
        # A plain IN for named zones; the OR for the default zone is costly on big clouds.
        is_default = queryset.filter(cloud__default_availability_zone=value).exists()
        return queryset.filter(hosts_in_zone(value, is_default=is_default))

    def in_aggregate(self, queryset, name, value):
        return queryset.filter(pk__in=Host.objects.filter(aggregates=value).values("pk"))


class AggregateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    zone = django_filters.CharFilter(field_name="metadata__availability_zone", label="Zone")
    host = django_filters.CharFilter(method="with_host", label="Host name")
    sort = SortFilter(
        fields=(("name", "name"), ("created_at", "created_at"), ("host_count", "host_count")),
    )

    class Meta:
        model = Aggregate
        fields = ["q", "zone", "host"]

    def with_host(self, queryset, name, value):
        return queryset.filter(pk__in=Aggregate.objects.filter(hosts__name=value).values("pk"))


class FlavorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    is_public = django_filters.BooleanFilter()
    min_ram = django_filters.NumberFilter(field_name="ram", lookup_expr="gte", label="Min RAM (MB)")
    min_disk = django_filters.NumberFilter(field_name="disk", lookup_expr="gte", label="Min disk")
    sort = SortFilter(
        fields=(("name", "name"), ("ram", "ram"), ("vcpus", "vcpus"), ("disk", "disk")),
    )

    class Meta:
        model = Flavor
        fields = ["q", "is_public", "min_ram", "min_disk"]


class ServerFilter(django_filters.FilterSet):
    """Instances by the columns of the servers table; `host` and `flavor` are exact (links)."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search name")
    project_id = django_filters.CharFilter(label="Project ID")
    flavor = django_filters.CharFilter(field_name="flavor__flavor_id", label="Flavor id")
    status = django_filters.ChoiceFilter(choices=ServerStatus.choices, empty_label="Any status")
    zone = django_filters.CharFilter(field_name="availability_zone", label="Availability zone")
    host = django_filters.CharFilter(field_name="host__name", label="Host name")
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("project_id", "project"),
            ("flavor_name", "flavor"),
            ("status", "status"),
            ("availability_zone", "zone"),
            ("host__name", "host"),
        ),
    )

    class Meta:
        model = Server
        fields = ["q", "project_id", "flavor", "status", "zone", "host"]


class SyncRunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SyncStatus.choices, empty_label="Any status")
    task_id = django_filters.CharFilter(label="Celery task id (a requested sync's)")

    class Meta:
        model = SyncRun
        fields = ["status", "task_id"]
