"""Pages of a cloud's sync (cloud admins): status with "Sync now" and htmx progress, runs, drift."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event
from redis.exceptions import RedisError

from aggregates import queries, services
from aggregates.choices import SyncStatus
from aggregates.models import Cloud
from aggregates.sync import reconcile
from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, paginate

STATUS_PARTIAL = "aggregates/partials/_sync_status.html"
RUNS_PARTIAL = "aggregates/partials/_sync_run_table.html"


def _cloud(request: HttpRequest, cloud_slug: str) -> Cloud:
    return get_object_or_404(queries.clouds_for(request.user), slug=cloud_slug)


def _status_context(cloud: Cloud) -> dict:
    cloud.refresh_from_db()
    latest = queries.latest_sync_run(cloud)
    try:
        requested = cache.get(reconcile.sync_requested_key(cloud.pk))
    except RedisError:  # the queue is down too: nothing new can be queued
        requested = None
    queued = bool(requested) and (latest is None or latest.started_at.isoformat() < requested)
    running = queued or (latest is not None and latest.status == SyncStatus.RUNNING)
    return {
        "cloud": cloud,
        "latest": latest,
        "queued": queued,
        "running": running,
        "held": queries.held_removals(cloud),
        "hold_percent": f"{settings.STACKBOARD_SYNC_HOLD_SHARE * 100:g}",
    }


@permissions.page_requires(permissions.can_manage_clouds)
@require_GET
@vary_on_headers("HX-Request")
def cloud_sync(request: HttpRequest, cloud_slug: str) -> HttpResponse:
    cloud = _cloud(request, cloud_slug)
    page = paginate(request, queries.sync_runs_for(cloud), per_page=20)
    if is_partial(request):
        return render(request, RUNS_PARTIAL, {"cloud": cloud, "page": page})
    context = _status_context(cloud) | {"page": page}
    return render(request, "aggregates/cloud_sync.html", context)


@permissions.page_requires(permissions.can_manage_clouds)
@require_GET
def cloud_sync_status(request: HttpRequest, cloud_slug: str) -> HttpResponse:
    context = _status_context(_cloud(request, cloud_slug))
    response = render(request, STATUS_PARTIAL, context)
    if not context["running"] and request.GET.get("polling"):
        trigger_client_event(response, "syncFinished")
    return response


@permissions.page_requires(permissions.can_manage_clouds)
@require_POST
def cloud_sync_now(request: HttpRequest, cloud_slug: str) -> HttpResponse:
    cloud = _cloud(request, cloud_slug)
    status = 200
    try:
        services.request_sync(cloud, actor=request.user)
    except DomainError as error:
        if not is_partial(request):
            messages.error(request, error.message)
            return redirect("aggregates:cloud_sync", cloud_slug=cloud.slug)
        status = error.status
    if not is_partial(request):
        messages.info(request, f"Sync of {cloud.name} requested.")
        return redirect("aggregates:cloud_sync", cloud_slug=cloud.slug)
    response = render(request, STATUS_PARTIAL, _status_context(cloud), status=status)
    trigger_client_event(response, "syncFinished")
    return response


@permissions.page_requires(permissions.can_manage_clouds)
@require_POST
def cloud_sync_interval(request: HttpRequest, cloud_slug: str) -> HttpResponse:
    cloud = _cloud(request, cloud_slug)
    try:
        cloud = services.set_sync_interval(
            cloud, request.POST.get("sync_interval_minutes"), actor=request.user
        )
    except DomainError as error:
        context = _status_context(cloud) | {"interval_error": error.message}
        context["interval_value"] = request.POST.get("sync_interval_minutes", "")
        if is_partial(request):
            return render(request, STATUS_PARTIAL, context, status=422)
        context["page"] = paginate(request, queries.sync_runs_for(cloud), per_page=20)
        return render(request, "aggregates/cloud_sync.html", context, status=422)
    if is_partial(request):
        return render(request, STATUS_PARTIAL, _status_context(cloud))
    messages.success(request, "Sync interval saved.")
    return redirect("aggregates:cloud_sync", cloud_slug=cloud.slug)


@permissions.page_requires(permissions.can_manage_clouds)
@require_POST
def cloud_sync_confirm_held(request: HttpRequest, cloud_slug: str) -> HttpResponse:
    cloud = _cloud(request, cloud_slug)
    try:
        run = services.confirm_held_removals(cloud, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{run.held_count} held removals applied: marked gone, history kept."
        )
    return redirect("aggregates:cloud_sync", cloud_slug=cloud.slug)


@permissions.page_requires(permissions.can_manage_clouds)
@require_GET
def syncrun_detail(request: HttpRequest, cloud_slug: str, run_id: int) -> HttpResponse:
    cloud = _cloud(request, cloud_slug)
    run = get_object_or_404(queries.sync_runs_for(cloud), pk=run_id)
    return render(request, "aggregates/syncrun_detail.html", {"cloud": cloud, "run": run})
