"""The servers table of a cloud (cloud admins only), filtered by the query string; a host's and
a flavor's servers are the same table with `?host=` or `?flavor=` set."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from aggregates import queries
from aggregates.choices import ServerStatus
from aggregates.filters import ServerFilter
from aggregates.views.common import cloud_of
from dashboard import permissions
from dashboard.htmx import is_partial, paginate

admins_only = permissions.page_requires(permissions.can_view_hosts_and_aggregates)


@admins_only
@require_GET
@vary_on_headers("HX-Request")
def server_list(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    server_filter = ServerFilter(request.GET, queryset=queries.servers_for_table(cloud))
    page = paginate(request, server_filter.qs)
    partial = "aggregates/partials/_server_table.html"
    template = partial if is_partial(request) else "aggregates/server_list.html"
    context = {"cloud": cloud, "filter": server_filter, "page": page}
    if not is_partial(request):
        context["statuses"] = ServerStatus.values
        context["zone_names"] = queries.zone_names(cloud)
    return render(request, template, context)
