"""Every cloud page: the cloud's sections with the current one marked, breadcrumbs to it, and a
<title> that names the cloud."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aggregates.choices import CloudKind
from aggregates.models import SyncRun
from aggregates.tests.factories import (
    AggregateFactory,
    CloudFactory,
    FlavorFactory,
    HostFactory,
    ServerFactory,
)

pytestmark = pytest.mark.django_db

# (URL name, its arguments after the slug, the section it belongs to, the page's own crumb)
PAGES = [
    ("cloud_detail", (), "Overview", None),
    ("cloud_update", (), "Overview", "Edit cloud Lab <One>"),
    ("host_list", (), "Hosts", None),
    ("host_create", (), "Hosts", "Add a compute host"),
    ("host_detail", ("host",), "Hosts", "rack/1 <b>"),
    ("aggregate_list", (), "Aggregates", None),
    ("aggregate_detail", ("aggregate",), "Aggregates", "test-aggregate1"),
    ("zone_list", (), "Availability zones", None),
    ("flavor_list", (), "Flavors", None),
    ("flavor_detail", ("flavor",), "Flavors", "m1.coolhardware"),
    ("server_list", (), "Servers", None),
    ("server_failure", ("server",), "Servers", "Why did this server fail"),
    ("servergroup_list", (), "Server groups", None),
    ("placement_preview", (), "Placement preview", None),
    ("drain_plan", (), "Drain plan", None),
    ("resilience", (), "N+1", None),
    ("cloud_capacity", (), "Capacity", None),
    ("cloud_capacity_matrix", (), "Capacity", "Slots per flavor"),
    ("cloud_utilisation", (), "Utilisation", None),
    ("cloud_heatmap", (), "Heatmap", None),
    ("cloud_scheduler", (), "Scheduler", None),
    ("cloud_sync", (), "Sync", None),
    ("syncrun_detail", ("run",), "Sync", "Sync run"),
]


@pytest.fixture
def cloud():
    cloud = CloudFactory(slug="lab", name="Lab <One>", kind=CloudKind.CONNECTED, os_cloud="lab")
    host = HostFactory(cloud=cloud, name="rack/1 <b>")
    AggregateFactory(cloud=cloud, name="test-aggregate1", hosts=[host])
    FlavorFactory(cloud=cloud, flavor_id="100", name="m1.coolhardware")
    ServerFactory(host=host, uuid="6f1d3a2e-0000-4000-8000-000000000001")
    SyncRun.objects.create(cloud=cloud, started_at=timezone.now())
    return cloud


def page_url(cloud, url_name: str, args: tuple) -> str:
    values = {
        "host": lambda: cloud.hosts.get().name,
        "aggregate": lambda: cloud.aggregates.get().pk,
        "flavor": lambda: "100",
        "server": lambda: "6f1d3a2e-0000-4000-8000-000000000001",
        "run": lambda: SyncRun.objects.get(cloud=cloud).pk,
    }
    return reverse(f"aggregates:{url_name}", args=[cloud.slug, *(values[a]() for a in args)])


def breadcrumbs(html: str) -> list[str]:
    trail = re.search(r'<nav aria-label="breadcrumb"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", trail)]


def current_sections(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Cloud sections"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r"<a [^>]*aria-current=\"(?:page|true)\"[^>]*>([^<]+)</a>", nav)


@pytest.mark.parametrize(("url_name", "args", "section", "crumb"), PAGES, ids=[p[0] for p in PAGES])
def test_a_cloud_page_marks_its_section_and_leads_back_to_the_cloud(
    admin_client, cloud, url_name, args, section, crumb
):
    response = admin_client.get(page_url(cloud, url_name, args))

    # The factory's server has no flavor at boot: its question page answers that, in the layout.
    assert response.status_code == (400 if url_name == "server_failure" else 200)
    html = response.content.decode()
    assert current_sections(html) == [section]
    expected = ["Clouds", "Lab &lt;One&gt;"]
    expected += [section] if section != "Overview" else []
    expected += [crumb.replace("<", "&lt;").replace(">", "&gt;")] if crumb else []
    assert breadcrumbs(html) == expected
    assert 'href="/clouds/"' in html and f'href="/clouds/{cloud.slug}/"' in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Lab &lt;One&gt;" in title


def test_the_last_crumb_names_the_page_without_linking_it(admin_client, cloud):
    html = admin_client.get(page_url(cloud, "host_detail", ("host",))).content.decode()

    trail = re.search(r'<nav aria-label="breadcrumb"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert '<span aria-current="page">rack/1 &lt;b&gt;</span>' in trail
    assert f'<a href="/clouds/{cloud.slug}/hosts/">Hosts</a>' in trail


def test_the_list_page_of_a_section_is_the_current_page_in_the_sub_navigation(admin_client, cloud):
    html = admin_client.get(page_url(cloud, "host_list", ())).content.decode()

    assert f'<a href="/clouds/{cloud.slug}/hosts/" aria-current="page">Hosts</a>' in html


def test_members_see_only_the_sections_they_may_open(member_client):
    cloud = CloudFactory(slug="public-cloud", name="Public")

    html = member_client.get(reverse("aggregates:flavor_list", args=[cloud.slug])).content.decode()

    nav = re.search(r'<nav aria-label="Cloud sections"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", nav) == ["Overview", "Availability zones", "Flavors"]


def test_a_local_cloud_has_no_sync_section(admin_client):
    cloud = CloudFactory(slug="local-cloud")

    html = admin_client.get(reverse("aggregates:cloud_detail", args=[cloud.slug])).content.decode()

    assert "Placement preview</a>" in html
    assert f"/clouds/{cloud.slug}/sync/" not in html
