"""Pages of flavors: list and detail for all signed-in users (members: public ones); admins edit
extra specs (validated keys and operator language) and private flavors' access lists, and delete
flavors (Nova's way to change one's size: delete it, create another)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from aggregates import queries, services
from aggregates.filters import FlavorFilter
from aggregates.forms import AccessForm, ExtraSpecForm, FlavorForm
from aggregates.models import Cloud, Flavor
from aggregates.scheduling import extra_spec_warnings
from aggregates.views.common import cloud_of, delete_page, show_error
from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, paginate

admins_only = permissions.page_requires(permissions.can_manage_clouds)


@permissions.signin_required
@require_GET
@vary_on_headers("HX-Request")
def flavor_list(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    flavor_filter = FlavorFilter(request.GET, queryset=queries.flavors_for(request.user, cloud))
    page = paginate(request, flavor_filter.qs)
    partial = "aggregates/partials/_flavor_table.html"
    template = partial if is_partial(request) else "aggregates/flavor_list.html"
    return render(request, template, {"cloud": cloud, "filter": flavor_filter, "page": page})


@admins_only
@require_http_methods(["GET", "POST"])
def flavor_create(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    form = FlavorForm(request.POST or None, initial={"is_public": True})
    if request.method == "POST" and form.is_valid():
        try:
            flavor = services.create_flavor(cloud, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error, aliases={"id": "flavor_id"})
        else:
            messages.success(request, f"Flavor {flavor.name} created.")
            return redirect("aggregates:flavor_detail", cloud.slug, flavor.flavor_id)
    status = 422 if form.errors else 200
    context = {"cloud": cloud, "form": form, "title": "New flavor", "submit_label": "Create flavor"}
    return render(request, "aggregates/form_page.html", context, status=status)


def _flavor(request: HttpRequest, cloud: Cloud, flavor_id: str) -> Flavor:
    return get_object_or_404(queries.flavors_for(request.user, cloud), flavor_id=flavor_id)


def _detail_context(request, cloud: Cloud, flavor: Flavor, **forms) -> dict:
    fresh = _flavor(request, cloud, flavor.flavor_id)
    return {
        "cloud": cloud,
        "flavor": fresh,
        "spec_warnings": extra_spec_warnings(fresh.extra_specs or {}),
        "spec_form": forms.get("spec_form") or ExtraSpecForm(),
        "access_form": forms.get("access_form") or AccessForm(),
        "can_edit": permissions.can_manage_clouds(request.user),
    }


@permissions.signin_required
@require_GET
def flavor_detail(request: HttpRequest, slug: str, flavor_id: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    flavor = _flavor(request, cloud, flavor_id)
    context = _detail_context(request, cloud, flavor)
    return render(request, "aggregates/flavor_detail.html", context)


def _respond(request, cloud, flavor, partial: str, form_name: str, form, ok: bool):
    if ok and not is_partial(request):
        return redirect("aggregates:flavor_detail", cloud.slug, flavor.flavor_id)
    context = _detail_context(request, cloud, flavor, **({} if ok else {form_name: form}))
    template = partial if is_partial(request) else "aggregates/flavor_detail.html"
    return render(request, template, context, status=200 if ok else 422)


def _edit(request, slug, flavor_id, form_class, write, partial, form_name, aliases):
    cloud = cloud_of(request, slug)
    flavor = _flavor(request, cloud, flavor_id)
    form = form_class(request.POST)
    ok = form.is_valid()
    if ok:
        try:
            write(flavor, form)
        except DomainError as error:
            show_error(form, error, aliases=aliases)
            ok = False
    return _respond(request, cloud, flavor, partial, form_name, form, ok)


SPECS = "aggregates/partials/_flavor_extra_specs.html"
ACCESS = "aggregates/partials/_flavor_access.html"


@admins_only
@require_POST
def flavor_set_extra_spec(request: HttpRequest, slug: str, flavor_id: str) -> HttpResponse:
    def write(flavor, form):
        key, value = form.cleaned_data["key"], form.cleaned_data["value"]
        services.set_flavor_extra_specs(flavor, {key: value}, actor=request.user)

    aliases = {"extra_specs": "key", f"extra_specs.{request.POST.get('key', '')}": "value"}
    return _edit(request, slug, flavor_id, ExtraSpecForm, write, SPECS, "spec_form", aliases)


@admins_only
@require_POST
def flavor_delete_extra_spec(request: HttpRequest, slug: str, flavor_id: str) -> HttpResponse:
    def write(flavor, form):
        services.delete_flavor_extra_spec(flavor, form.cleaned_data["key"], actor=request.user)

    return _edit(request, slug, flavor_id, ExtraSpecForm, write, SPECS, "spec_form", {})


@admins_only
@require_POST
def flavor_add_access(request: HttpRequest, slug: str, flavor_id: str) -> HttpResponse:
    def write(flavor, form):
        services.add_flavor_access(flavor, form.cleaned_data["tenant"], actor=request.user)

    return _edit(request, slug, flavor_id, AccessForm, write, ACCESS, "access_form", {})


@admins_only
@require_POST
def flavor_remove_access(request: HttpRequest, slug: str, flavor_id: str) -> HttpResponse:
    def write(flavor, form):
        services.remove_flavor_access(flavor, form.cleaned_data["tenant"], actor=request.user)

    return _edit(request, slug, flavor_id, AccessForm, write, ACCESS, "access_form", {})


@admins_only
@require_http_methods(["GET", "POST"])
def flavor_delete(request: HttpRequest, slug: str, flavor_id: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    flavor = _flavor(request, cloud, flavor_id)
    return delete_page(
        request,
        cloud,
        queries.flavor_delete_summary(flavor),
        lambda: services.delete_flavor(flavor, actor=request.user),
        cancel=reverse("aggregates:flavor_detail", args=[cloud.slug, flavor.flavor_id]),
        done=reverse("aggregates:flavor_list", args=[cloud.slug]),
        message=f"Flavor {flavor.name} deleted.",
    )
