"""Utilisation pages (cloud admins): rollups with a history chart, the host heatmap, capacity in
flavor slots with run-out estimates, and streamed CSV of each table."""

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from aggregates import utilisation
from aggregates.choices import Level
from aggregates.forms import FlavorChoiceForm, UtilisationQueryForm
from aggregates.models import Cloud, Flavor
from aggregates.models.utilisation import AMOUNTS
from aggregates.queries import page_cache
from aggregates.utilisation import LEVELS, RESOLUTIONS
from aggregates.views.common import cloud_of, csv_response
from dashboard import permissions
from dashboard.htmx import is_partial, paginate

admins_only = permissions.page_requires(permissions.can_view_hosts_and_aggregates)


def _query(request: HttpRequest) -> UtilisationQueryForm:
    form = UtilisationQueryForm(request.GET)
    form.is_valid()  # a bad value falls back to its default; the form shows the error
    return form


@admins_only
@require_GET
@vary_on_headers("HX-Request")
def cloud_utilisation(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    form = _query(request)
    data = form.cleaned_data
    level = LEVELS.get(data.get("level") or "", Level.AVAILABILITY_ZONE)
    page = paginate(request, utilisation.rollup_rows(cloud, level))
    rows = [utilisation.Rollup(level=level.label, **row) for row in page.object_list]
    context = {"cloud": cloud, "form": form, "level": level.label, "page": page, "rows": rows}
    if is_partial(request):
        return render(request, "aggregates/partials/_utilisation_table.html", context)
    series_level = level if data.get("name") else Level.CLOUD
    series_name = data.get("name") or cloud.name
    resolution = RESOLUTIONS.get(data.get("resolution") or "")
    history = utilisation.history_rows(
        cloud,
        series_level,
        series_name,
        start=data.get("start"),
        end=data.get("end"),
        resolution=resolution,
    )
    context |= {
        "total": utilisation.cloud_rollup(cloud),
        "series": {"level": series_level.label, "name": series_name},
        "chart": {
            "title": f"{series_level.label.replace('_', ' ')} {series_name}",
            "data": utilisation.chart_series(history),
        },
    }
    return render(request, "aggregates/cloud_utilisation.html", context)


@admins_only
@require_GET
def cloud_heatmap(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    # Per-host work at each view is what the page budget cannot afford at 10,000 hosts.
    context = {"cloud": cloud, "heatmap": page_cache.heatmap(cloud)}
    return render(request, "aggregates/cloud_heatmap.html", context)


@admins_only
@require_GET
def cloud_capacity(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    flavors = page_cache.flavors_by_size(cloud)
    form = FlavorChoiceForm(request.GET or None)
    slots = None
    flavor = None
    status = 200
    if form.is_bound and form.is_valid():
        flavor = next((f for f in flavors if f.flavor_id == form.cleaned_data["flavor"]), None)
        if flavor is None:
            form.add_error("flavor", "No such flavor in this cloud.")
            status = 422
        else:
            slots = page_cache.flavor_slots(cloud, flavor)
    context = {
        "cloud": cloud,
        "form": form,
        "flavors": flavors,
        "flavor": flavor,
        "slots": slots,
        "run_out": utilisation.run_out_estimates(cloud),
        "window_days": utilisation.TREND_WINDOW.days,
    }
    return render(request, "aggregates/cloud_capacity.html", context, status=status)


@admins_only
@require_GET
@vary_on_headers("HX-Request")
def cloud_capacity_matrix(request: HttpRequest, slug: str) -> HttpResponse:
    """Slots of every flavor per zone: the capacity page loads it after itself (one engine run
    per flavor on a cache miss); without htmx, a page of its own."""
    cloud = cloud_of(request, slug)
    context = {"cloud": cloud, "matrix": page_cache.slots_matrix(cloud)}
    if is_partial(request):
        return render(request, "aggregates/partials/_slots_matrix.html", context)
    return render(request, "aggregates/cloud_capacity_matrix.html", context)


@admins_only
@require_GET
def capacity_matrix_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The slots matrix as CSV: one row per flavor, a column per zone."""
    cloud = cloud_of(request, slug)
    matrix = page_cache.slots_matrix(cloud)

    def rows() -> Iterator[list]:
        yield ["flavor", "name", "total", *matrix.zones]
        for row in matrix.rows:
            yield [row.flavor_id, row.name, row.total, *row.by_zone]

    return csv_response(f"{cloud.slug}-slots-by-flavor.csv", rows())


@admins_only
@require_GET
def run_out_export(request: HttpRequest, slug: str) -> HttpResponse:
    """When each zone runs out, as the capacity page shows it, as CSV."""
    cloud = cloud_of(request, slug)

    def rows() -> Iterator[list]:
        yield ["availability_zone", "first_full", "percent_per_day", "full_on", "samples"]
        for estimate in utilisation.run_out_estimates(cloud):
            full_on = estimate.full_on.date().isoformat() if estimate.full_on else ""
            percent = round(estimate.percent_per_day, 4)
            yield [estimate.zone, estimate.resource or "", percent, full_on, estimate.points]

    return csv_response(f"{cloud.slug}-run-out.csv", rows())


@admins_only
@require_GET
def utilisation_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The rollup table of one level as CSV, streamed from the database."""
    cloud = cloud_of(request, slug)
    form = _query(request)
    level = LEVELS.get(form.cleaned_data.get("level") or "", Level.AVAILABILITY_ZONE)

    def rows() -> Iterator[list]:
        yield ["level", "name", *AMOUNTS, "vcpus_percent", "memory_mb_percent", "local_gb_percent"]
        for row in utilisation.rollups(cloud, level, stream=True):
            yield [
                row.level,
                row.name,
                *(getattr(row, k) for k in AMOUNTS),
                row.vcpus_percent,
                row.memory_mb_percent,
                row.local_gb_percent,
            ]

    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_response(f"{cloud.slug}-utilisation-{level.label}-{stamp}.csv", rows())


@admins_only
@require_GET
def capacity_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Slots of one flavor per zone, aggregate and host as CSV."""
    cloud: Cloud = cloud_of(request, slug)
    flavor_id = request.GET.get("flavor", "")
    flavor = Flavor.objects.filter(cloud=cloud, flavor_id=flavor_id).first()
    if flavor is None:
        message = f"flavor: no flavor {flavor_id!r} in cloud {cloud.slug}; pass ?flavor=ID."
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    slots = page_cache.flavor_slots(cloud, flavor)

    def rows() -> Iterator[list]:
        yield ["flavor", "level", "name", "slots"]
        yield [flavor.flavor_id, "cloud", cloud.name, slots.total]
        for level, values in (
            ("availability_zone", slots.by_availability_zone),
            ("aggregate", slots.by_aggregate),
            ("host", slots.by_host),
        ):
            for name, count in values.items():
                yield [flavor.flavor_id, level, name, count]

    return csv_response(f"{cloud.slug}-slots-{flavor.flavor_id}.csv", rows())
