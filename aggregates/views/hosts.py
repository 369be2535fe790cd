"""Pages of compute hosts (cloud admins only): table, detail, create (local clouds), type-ahead."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from aggregates import queries, services
from aggregates.filters import HostFilter
from aggregates.forms import HostForm
from aggregates.views.common import cloud_of, show_error
from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, paginate

admins_only = permissions.page_requires(permissions.can_view_hosts_and_aggregates)


@admins_only
@require_GET
@vary_on_headers("HX-Request")
def host_list(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    host_filter = HostFilter(request.GET, queryset=queries.hosts_for_table(cloud))
    page = paginate(request, host_filter.qs)
    for host in page:
        host.zone = queries.zone_of(host)
    partial = "aggregates/partials/_host_table.html"
    template = partial if is_partial(request) else "aggregates/host_list.html"
    context = {"cloud": cloud, "filter": host_filter, "page": page}
    if not is_partial(request):
        context["zone_names"] = queries.zone_names(cloud)
        context["aggregate_choices"] = queries.aggregate_choices(cloud)
    return render(request, template, context)


@admins_only
@require_GET
@vary_on_headers("HX-Request")
def host_detail(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    host = get_object_or_404(queries.hosts_for_table(cloud), name=name)
    servers = paginate(request, queries.servers_on_host(host))
    context = {"cloud": cloud, "host": host, "zone": queries.zone_of(host), "page": servers}
    partial = "aggregates/partials/_host_servers.html"
    template = partial if is_partial(request) else "aggregates/host_detail.html"
    return render(request, template, context)


@admins_only
@require_http_methods(["GET", "POST"])
def host_create(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    form = HostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            host = services.create_host(cloud, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Host {host.name} added.")
            return redirect("aggregates:host_list", cloud.slug)
    status = 422 if form.errors else 200
    return render(
        request,
        "aggregates/form_page.html",
        {"cloud": cloud, "form": form, "title": "Add a compute host", "submit_label": "Add host"},
        status=status,
    )


@admins_only
@require_GET
def host_names(request: HttpRequest, slug: str) -> HttpResponse:
    """<option>s for the add-host type-ahead (a <datalist>)."""
    cloud = cloud_of(request, slug)
    names = queries.host_names(cloud, starting=request.GET.get("host", "").strip())
    return render(request, "aggregates/partials/_host_options.html", {"names": names})
