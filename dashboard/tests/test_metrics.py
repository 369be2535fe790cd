"""/metrics, scraped and parsed as Prometheus parses it: off by default, a Bearer token, and
figures equal to the capacity and utilisation APIs' for the same cloud."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from aggregates.choices import HostStatus
from aggregates.demo.synthetic import build_cloud
from aggregates.models import Host
from dashboard.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-0123456789"
GRAFANA = Path(__file__).resolve().parents[1] / "grafana" / "stackboard.json"


@pytest.fixture
def metrics_on(settings):
    settings.STACKBOARD_METRICS_TOKEN = TOKEN


def scrape(client: Client | None = None) -> dict[str, list]:
    response = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        family.name: family.samples
        for family in text_string_to_metric_families(response.content.decode())
    }


def value(samples, **labels) -> float:
    (found,) = [s.value for s in samples if all(s.labels.get(k) == v for k, v in labels.items())]
    return found


def test_off_by_default_and_a_token_is_required(settings):
    assert Client().get("/metrics").status_code == 404
    settings.STACKBOARD_METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 401
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")


def test_figures_equal_the_capacity_and_utilisation_apis(metrics_on, admin_client):
    cloud = build_cloud("metrics", 9)
    Host.objects.filter(pk=cloud.hosts.order_by("name").first().pk).update(
        status=HostStatus.DISABLED
    )
    WorkerHeartbeat.objects.create(worker="celery@w1", seen_at=timezone.now())
    api = f"/api/v1/clouds/{cloud.slug}/"

    families = scrape()

    zones = admin_client.get(api + "utilisation/", {"level": "availability_zone"}).json()
    assert zones["results"]
    for row in zones["results"]:
        labels = {"cloud": cloud.slug, "zone": row["name"]}
        assert value(families["stackboard_capacity_vcpus"], **labels) == row["vcpus_capacity"]
        assert value(families["stackboard_used_memory_bytes"], **labels) == (
            row["memory_mb_used"] * 1024**2
        )
        assert value(families["stackboard_free_disk_bytes"], **labels) == (
            (row["local_gb_capacity"] - row["local_gb_used"]) * 1024**3
        )
    aggregates = admin_client.get(api + "utilisation/", {"level": "aggregate"}).json()
    for row in aggregates["results"]:
        labels = {"cloud": cloud.slug, "aggregate": row["name"]}
        assert (
            value(families["stackboard_capacity_vcpus_aggregate"], **labels)
            == row["vcpus_capacity"]
        )
    for flavor in cloud.flavors.all()[:3]:
        slots = admin_client.get(api + "capacity/", {"flavor": flavor.flavor_id}).json()["slots"]
        for zone, count in slots["by_availability_zone"].items():
            labels = {"cloud": cloud.slug, "zone": zone, "flavor": flavor.flavor_id}
            assert value(families["stackboard_flavor_slots"], **labels) == count
    assert sum(s.value for s in families["stackboard_hosts_disabled"]) == 1
    assert value(families["stackboard_worker_heartbeat_timestamp_seconds"], worker="celery@w1")


def test_queries_per_scrape_do_not_grow_with_the_hosts(metrics_on):
    build_cloud("small", 9)
    scrape()  # warms the slots cache as a second scrape finds it
    with CaptureQueriesContext(connection) as small:
        scrape()
    build_cloud("large", 90)
    scrape()
    with CaptureQueriesContext(connection) as both:
        scrape()
    per_cloud = len(both.captured_queries) - len(small.captured_queries)
    assert per_cloud <= len(small.captured_queries)  # the second cloud costs what the first did


def test_the_grafana_dashboard_plots_only_exported_metrics(metrics_on):
    build_cloud("grafana", 9)
    exported = set(scrape())
    dashboard = json.loads(GRAFANA.read_text())
    expressions = [
        target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])
    ]
    assert expressions
    for expression in expressions:
        names = {word for word in _words(expression) if word.startswith("stackboard_")}
        assert names and names <= exported, expression


def _words(expression: str) -> list[str]:
    word, words = "", []
    for char in expression + " ":
        if char.isalnum() or char == "_":
            word += char
        else:
            words.append(word)
            word = ""
    return words
