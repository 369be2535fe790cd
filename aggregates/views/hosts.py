"""Pages of compute hosts (cloud admins only): table, detail, type-ahead, disable/enable the
compute service (any cloud); create, edit and delete (local clouds)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from aggregates import queries, services
from aggregates.filters import HostFilter
from aggregates.forms import HostForm, HostStatusForm, HostUpdateForm
from aggregates.models import Cloud, Host
from aggregates.views.common import cloud_of, delete_page, show_error
from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, leave_page, paginate

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
    context["status_form"] = HostStatusForm()
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


def _host(cloud: Cloud, pk: int) -> Host:
    # Actions address a host by its row id: any name, '/' and all, and no name can shadow them.
    return get_object_or_404(queries.hosts_for_table(cloud), pk=pk)


def _detail_url(host: Host) -> str:
    return reverse("aggregates:host_detail", args=[host.cloud.slug, host.name])


@admins_only
@require_POST
def host_set_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Disable (with an optional reason) or enable the host's nova-compute service."""
    cloud = cloud_of(request, slug)
    host = _host(cloud, pk)
    form = HostStatusForm(request.POST)
    ok = form.is_valid()
    if ok:
        enabled = request.POST.get("status") == "enabled"
        reason = "" if enabled else form.cleaned_data["disabled_reason"].strip()
        try:
            host = services.set_host_status(
                host, enabled=enabled, disabled_reason=reason, actor=request.user
            )
        except DomainError as error:
            show_error(form, error)
            ok = False
    if ok and not is_partial(request):
        messages.success(request, f"Compute service of {host.name} {host.status}.")
        return redirect(_detail_url(host))
    if not is_partial(request):
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect(_detail_url(host))
    context = {"cloud": cloud, "host": host, "status_form": HostStatusForm() if ok else form}
    return render(
        request, "aggregates/partials/_host_status.html", context, status=200 if ok else 422
    )


def _local_host(request: HttpRequest, slug: str, pk: int) -> tuple[Host, HttpResponse | None]:
    """The host, and a refusal when its cloud is connected: its hosts come from Nova."""
    host = _host(cloud_of(request, slug), pk)
    if not host.cloud.is_connected:
        return host, None
    messages.error(
        request,
        f"Hosts of connected cloud {host.cloud.name} come from its compute API: "
        "edit or delete them there; Stackboard mirrors them on the next sync.",
    )
    return host, leave_page(request, _detail_url(host))


@admins_only
@require_http_methods(["GET", "POST"])
def host_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    host, refused = _local_host(request, slug, pk)
    if refused:
        return refused
    cloud = host.cloud
    initial = {name: getattr(host, name) for name in HostUpdateForm.base_fields}
    form = HostUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            host = services.update_host(host, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Host {host.name} saved.")
            return redirect(_detail_url(host))
    context = {"cloud": cloud, "form": form, "title": f"Edit host {host.name}"}
    context["submit_label"] = "Save host"
    return render(request, "aggregates/form_page.html", context, status=422 if form.errors else 200)


@admins_only
@require_http_methods(["GET", "POST"])
def host_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    host, refused = _local_host(request, slug, pk)
    if refused:
        return refused
    cloud = host.cloud
    return delete_page(
        request,
        cloud,
        queries.host_delete_summary(host),
        lambda: services.delete_host(host, actor=request.user),
        cancel=_detail_url(host),
        done=reverse("aggregates:host_list", args=[cloud.slug]),
        message=f"Host {host.name} deleted.",
    )
