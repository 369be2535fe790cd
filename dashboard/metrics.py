"""GET /metrics: Prometheus exposition of every cloud's capacity and sync, and the workers'
heartbeats. Off unless STACKBOARD_METRICS_TOKEN is set; then a scrape sends it as a Bearer
token (Prometheus' `authorization` setting). Built from the database on each scrape, so every
gunicorn worker answers the same figures."""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from aggregates.models import Cloud
from aggregates.queries.metrics import cloud_families
from dashboard.models import WorkerHeartbeat


class _Scrape:
    """A collector for one scrape (a fresh registry per request: nothing kept between)."""

    def collect(self):
        yield from cloud_families(list(Cloud.objects.order_by("slug")))
        heartbeat = GaugeMetricFamily(
            "stackboard_worker_heartbeat_timestamp_seconds",
            "When each Celery worker last ran its heartbeat task (Unix time)",
            labels=["worker"],
        )
        for worker, seen_at in WorkerHeartbeat.objects.values_list("worker", "seen_at"):
            heartbeat.add_metric([worker], seen_at.timestamp())
        yield heartbeat


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.STACKBOARD_METRICS_TOKEN
    if not token:
        raise Http404("Metrics are off (set STACKBOARD_METRICS_TOKEN).")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("A Bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Scrape())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
