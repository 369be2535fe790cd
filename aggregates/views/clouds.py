"""Pages of clouds: the list and a cloud's overview (everyone signed in); creating, editing and
deleting one (admins)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from aggregates import queries, services
from aggregates.filters import CloudFilter, CloudTableFilter
from aggregates.forms import CloudForm, CloudUpdateForm
from aggregates.queries import page_cache
from aggregates.views.common import cloud_of, delete_page, show_error
from dashboard import permissions
from dashboard.errors import DomainError


@permissions.signin_required
@require_GET
def cloud_list(request: HttpRequest) -> HttpResponse:
    if permissions.is_cloud_admin(request.user):
        cloud_filter = CloudTableFilter(request.GET, queryset=queries.clouds_for_table())
    else:
        cloud_filter = CloudFilter(request.GET, queryset=queries.clouds_for(request.user))
    return render(request, "aggregates/cloud_list.html", {"clouds": cloud_filter.qs})


@permissions.page_requires(permissions.can_manage_clouds)
@require_http_methods(["GET", "POST"])
def cloud_create(request: HttpRequest) -> HttpResponse:
    form = CloudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cloud = services.create_cloud(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Cloud {cloud.name} created.")
            return redirect("aggregates:cloud_detail", cloud.slug)
    status = 422 if form.errors else 200
    return render(
        request,
        "aggregates/form_page.html",
        {"form": form, "title": "New cloud", "submit_label": "Create cloud"},
        status=status,
    )


@permissions.page_requires(permissions.can_manage_clouds)
@require_http_methods(["GET", "POST"])
def cloud_update(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    initial = {
        "name": cloud.name,
        "region": cloud.region,
        "default_availability_zone": cloud.default_availability_zone,
    }
    form = CloudUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cloud(cloud, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Cloud {cloud.name} saved.")
            return redirect("aggregates:cloud_detail", cloud.slug)
    context = {"cloud": cloud, "form": form, "title": f"Edit cloud {cloud.name}"}
    context["submit_label"] = "Save cloud"
    return render(request, "aggregates/form_page.html", context, status=422 if form.errors else 200)


@permissions.page_requires(permissions.can_manage_clouds)
@require_http_methods(["GET", "POST"])
def cloud_delete(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    return delete_page(
        request,
        cloud,
        queries.cloud_delete_summary(cloud),
        lambda: services.delete_cloud(cloud, actor=request.user),
        cancel=reverse("aggregates:cloud_detail", args=[cloud.slug]),
        done=reverse("aggregates:cloud_list"),
        message=f"Cloud {cloud.name} deleted, with everything in it.",
    )


@permissions.signin_required
@require_GET
def cloud_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins: counts and the capacity summary; members: the zones and flavors they may use."""
    cloud = cloud_of(request, slug)
    summary = page_cache.cloud_summary(cloud)
    context: dict = {"cloud": cloud, "zones": summary.zones}
    if permissions.is_cloud_admin(request.user):
        context["totals"] = summary.totals
        context["capacity"] = summary.capacity
        context["aggregate_count"] = summary.aggregate_count
    context["flavor_count"] = queries.flavors_for(request.user, cloud).count()
    return render(request, "aggregates/cloud_detail.html", context)
