"""Pages of host aggregates (cloud admins only): list, create, detail with htmx editors."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from aggregates import queries, services
from aggregates.filters import AggregateFilter
from aggregates.forms import AggregateForm, HostRefForm, MetadataForm
from aggregates.models import Aggregate, Cloud
from aggregates.views.common import cloud_of, show_error
from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, leave_page, paginate

admins_only = permissions.page_requires(permissions.can_view_hosts_and_aggregates)


@admins_only
@require_GET
@vary_on_headers("HX-Request")
def aggregate_list(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    aggregate_filter = AggregateFilter(request.GET, queryset=queries.aggregates_for_table(cloud))
    page = paginate(request, aggregate_filter.qs)
    page.object_list = queries.with_host_names(page.object_list)
    partial = "aggregates/partials/_aggregate_table.html"
    template = partial if is_partial(request) else "aggregates/aggregate_list.html"
    return render(request, template, {"cloud": cloud, "filter": aggregate_filter, "page": page})


@admins_only
@require_http_methods(["GET", "POST"])
def aggregate_create(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    form = AggregateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        zone = form.cleaned_data["availability_zone"] or None
        try:
            aggregate = services.create_aggregate(
                cloud, actor=request.user, name=form.cleaned_data["name"], availability_zone=zone
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Aggregate {aggregate.name} created.")
            return redirect("aggregates:aggregate_detail", cloud.slug, aggregate.pk)
    status = 422 if form.errors else 200
    context = {"cloud": cloud, "form": form, "title": "New aggregate"}
    context["submit_label"] = "Create aggregate"
    return render(request, "aggregates/form_page.html", context, status=status)


def _aggregate(cloud: Cloud, pk: int) -> Aggregate:
    return get_object_or_404(queries.aggregates_for_table(cloud), pk=pk)


def _detail_context(cloud: Cloud, aggregate: Aggregate, **forms) -> dict:
    # Re-read: hosts and metadata as the write left them.
    aggregate = queries.with_host_names([_aggregate(cloud, aggregate.pk)])[0]
    initial = {"name": aggregate.name, "availability_zone": aggregate.availability_zone or ""}
    return {
        "cloud": cloud,
        "aggregate": aggregate,
        "edit_form": forms.get("edit_form") or AggregateForm(initial=initial),
        "metadata_form": forms.get("metadata_form") or MetadataForm(),
        "host_form": forms.get("host_form") or HostRefForm(),
    }


@admins_only
@require_GET
def aggregate_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cloud = cloud_of(request, slug)
    aggregate = _aggregate(cloud, pk)
    return render(request, "aggregates/aggregate_detail.html", _detail_context(cloud, aggregate))


def _respond(request, cloud, aggregate, partial: str, form_name: str, form, ok: bool):
    """htmx: the editor fragment (422 with errors); without htmx: PRG or the page with errors."""
    if ok and not is_partial(request):
        return redirect("aggregates:aggregate_detail", cloud.slug, aggregate.pk)
    context = _detail_context(cloud, aggregate, **({} if ok else {form_name: form}))
    status = 200 if ok else 422
    template = partial if is_partial(request) else "aggregates/aggregate_detail.html"
    response = render(request, template, context, status=status)
    if ok:
        trigger_client_event(response, "aggregateChanged")
    return response


@admins_only
@require_POST
def aggregate_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cloud = cloud_of(request, slug)
    aggregate = _aggregate(cloud, pk)
    form = AggregateForm(request.POST)
    ok = form.is_valid()
    if ok:
        zone = form.cleaned_data["availability_zone"]
        changes = {"name": form.cleaned_data["name"]}
        if zone or aggregate.availability_zone is not None:
            changes["availability_zone"] = zone or None  # blank on a zone: Nova refuses (400)
        try:
            services.update_aggregate(aggregate, actor=request.user, **changes)
        except DomainError as error:
            show_error(form, error)
            ok = False
    return _respond(
        request, cloud, aggregate, "aggregates/partials/_aggregate_edit.html", "edit_form", form, ok
    )


@admins_only
@require_POST
def aggregate_set_metadata(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cloud = cloud_of(request, slug)
    aggregate = _aggregate(cloud, pk)
    form = MetadataForm(request.POST)
    ok = form.is_valid()
    if ok:
        try:
            services.set_aggregate_metadata(aggregate, form.metadata(), actor=request.user)
        except DomainError as error:
            show_error(form, error, aliases={"metadata": "key", "availability_zone": "value"})
            ok = False
    partial = "aggregates/partials/_aggregate_metadata.html"
    return _respond(request, cloud, aggregate, partial, "metadata_form", form, ok)


def _host_action(request: HttpRequest, slug: str, pk: int, service) -> HttpResponse:
    cloud = cloud_of(request, slug)
    aggregate = _aggregate(cloud, pk)
    form = HostRefForm(request.POST)
    ok = form.is_valid()
    if ok:
        try:
            service(aggregate, form.cleaned_data["host"], actor=request.user)
        except DomainError as error:
            show_error(form, error)
            ok = False
    partial = "aggregates/partials/_aggregate_hosts.html"
    return _respond(request, cloud, aggregate, partial, "host_form", form, ok)


@admins_only
@require_POST
def aggregate_add_host(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _host_action(request, slug, pk, services.add_host_to_aggregate)


@admins_only
@require_POST
def aggregate_remove_host(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _host_action(request, slug, pk, services.remove_host_from_aggregate)


@admins_only
@require_POST
def aggregate_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cloud = cloud_of(request, slug)
    aggregate = _aggregate(cloud, pk)
    try:
        services.delete_aggregate(aggregate, actor=request.user)
    except DomainError as error:
        if not is_partial(request):
            messages.error(request, error.message)
            return redirect("aggregates:aggregate_detail", cloud.slug, aggregate.pk)
        # The refusal in place of the button: the page stays as it was.
        context = {"cloud": cloud, "aggregate": aggregate, "delete_error": error.message}
        partial = "aggregates/partials/_aggregate_delete.html"
        return render(request, partial, context, status=422)
    messages.success(request, f"Aggregate {aggregate.name} deleted.")
    return leave_page(request, reverse("aggregates:aggregate_list", args=[cloud.slug]))
