"""Server groups page (cloud admins): listed for every cloud, created and deleted on local ones."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aggregates import queries, services
from aggregates.forms import ServerGroupForm
from aggregates.views.common import cloud_of, show_error
from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import leave_page, paginate

admins_only = permissions.page_requires(permissions.can_preview_placement)


@admins_only
@require_http_methods(["GET", "POST"])
def servergroup_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The groups with policy, rule and members; a POST creates one (local clouds)."""
    cloud = cloud_of(request, slug)
    form = ServerGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_server_group(cloud, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Server group {group.name} created.")
            return redirect("aggregates:servergroup_list", cloud.slug)
    page = paginate(request, queries.server_groups_for_table(cloud))
    return render(
        request,
        "aggregates/servergroup_list.html",
        {"cloud": cloud, "form": form, "page": page},
        status=422 if form.errors else 200,
    )


@admins_only
@require_POST
def servergroup_delete(request: HttpRequest, slug: str, group_uuid: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    group = get_object_or_404(queries.server_groups_for_table(cloud), uuid=group_uuid)
    try:
        services.delete_server_group(group, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Server group {group.name} deleted.")
    return leave_page(request, reverse("aggregates:servergroup_list", args=[cloud.slug]))
