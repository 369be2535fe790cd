"""Contract stage: the same requests against real Nova 34 (the harness) and the simulator.

Status codes, error messages and response shapes must agree, and a sync client snapshot of both
clouds must be equal, so the simulator the other tests use cannot drift from Nova.
"""

import os

import pytest
import requests
import yaml

from aggregates.demo.simulator import Simulator
from aggregates.sync.client import ComputeClient

from .conftest import HOSTS, harness_clouds_entry
from .shapes import differences, shape

pytestmark = pytest.mark.contract

PROJECT = "6f70656e737461636b20342065766572"
IMAGE = "155d900f-4e14-4e4c-a73d-069cbf4541e6"

# (method, path, body, microversion); ids are the same on both: each cloud starts empty.
SEED = [
    ("POST", "/os-aggregates", {"aggregate": {"name": "test-aggregate1"}}, "2.1"),
    (
        "POST",
        "/os-aggregates",
        {"aggregate": {"name": "test-aggregate2", "availability_zone": "test-az"}},
        "2.87",
    ),
    ("POST", "/os-aggregates/2/action", {"add_host": {"host": "devstack"}}, "2.87"),
    (
        "POST",
        "/os-aggregates/1/action",
        {"set_metadata": {"metadata": {"coolhardware": "true"}}},
        "2.87",
    ),
    (
        "POST",
        "/flavors",
        {"flavor": {"name": "m1.coolhardware", "id": "100", "ram": 2048, "disk": 20, "vcpus": 2}},
        "2.87",
    ),
    ("POST", "/flavors/100/os-extra_specs", {"extra_specs": {"coolhardware": "true"}}, "2.87"),
    (
        "POST",
        "/flavors",
        {
            "flavor": {
                "name": "m1.private",
                "id": "101",
                "ram": 1024,
                "disk": 10,
                "vcpus": 1,
                "os-flavor-access:is_public": False,
            }
        },
        "2.87",
    ),
    ("POST", "/flavors/101/action", {"addTenantAccess": {"tenant": "p-demo"}}, "2.87"),
    (
        "POST",
        "/os-aggregates",
        {"aggregate": {"name": "test-aggregate3", "availability_zone": "other-az"}},
        "2.87",
    ),
    ("POST", "/os-aggregates/3/action", {"add_host": {"host": "compute-3"}}, "2.87"),
    # refusals, with Nova's status and words
    ("POST", "/os-aggregates/3/action", {"add_host": {"host": "devstack"}}, "2.87"),
    ("POST", "/os-aggregates/3/action", {"add_host": {"host": "devstack"}}, "2.1"),
    ("POST", "/os-aggregates/1/action", {"add_host": {"host": "no-such-host"}}, "2.87"),
    ("POST", "/os-aggregates/1/action", {"remove_host": {"host": "devstack"}}, "2.87"),
    ("POST", "/os-aggregates/1/action", {"add_host": {"host": "devstack"}}, "2.87"),
    ("POST", "/os-aggregates/1/action", {"add_host": {"host": "devstack"}}, "2.87"),
    (
        "POST",
        "/os-aggregates/1/action",
        {"set_metadata": {"metadata": {"availability_zone": "zzz"}}},
        "2.87",
    ),
    ("PUT", "/os-aggregates/1", {"aggregate": {"name": "test-aggregate2"}}, "2.87"),
    ("DELETE", "/os-aggregates/2", None, "2.87"),
    ("GET", "/os-aggregates/99", None, "2.87"),
    (
        "POST",
        "/flavors",
        {"flavor": {"name": "other", "id": "100", "ram": 512, "disk": 1, "vcpus": 1}},
        "2.87",
    ),
    ("POST", "/flavors/100/action", {"addTenantAccess": {"tenant": "p-demo"}}, "2.87"),
    ("GET", "/flavors/100/os-flavor-access", None, "2.87"),
    ("POST", "/flavors/101/action", {"removeTenantAccess": {"tenant": "nobody"}}, "2.87"),
    ("GET", "/os-aggregates", None, "2.105"),
    ("PUT", "/os-services/not-a-uuid", {"status": "disabled"}, "2.53"),
    # an aggregate created and deleted, a flavor created and deleted
    ("POST", "/os-aggregates", {"aggregate": {"name": "short-lived"}}, "2.87"),
    ("PUT", "/os-aggregates/4", {"aggregate": {"name": "renamed"}}, "2.87"),
    ("DELETE", "/os-aggregates/4", None, "2.87"),
    (
        "POST",
        "/flavors",
        {"flavor": {"name": "tmp", "id": "102", "ram": 512, "disk": 1, "vcpus": 1}},
        "2.87",
    ),
    ("DELETE", "/flavors/102", None, "2.87"),
    ("DELETE", "/flavors/100/os-extra_specs/none", None, "2.87"),
]

READS = [
    ("/os-aggregates", "2.1"),
    ("/os-aggregates", "2.41"),
    ("/os-aggregates", "2.101"),
    ("/os-availability-zone", "2.87"),
    ("/os-availability-zone/detail", "2.87"),
    ("/os-hypervisors/detail", "2.1"),
    ("/os-hypervisors/detail", "2.28"),
    ("/os-hypervisors/detail?limit=2", "2.33"),
    ("/os-hypervisors/detail?limit=2", "2.53"),
    ("/os-hypervisors/detail", "2.87"),
    ("/os-hypervisors/detail?limit=2", "2.88"),
    ("/os-services", "2.1"),
    ("/os-services", "2.11"),
    ("/os-services", "2.53"),
    ("/flavors/detail?is_public=None", "2.1"),
    ("/flavors/detail?is_public=None", "2.55"),
    ("/flavors/detail?is_public=None&limit=3", "2.61"),
    ("/flavors/detail?is_public=None", "2.75"),
    ("/flavors/detail?is_public=None", "2.101"),
    ("/flavors/detail?is_public=None", "2.102"),
    ("/flavors/101/os-flavor-access", "2.87"),
    ("/flavors/100/os-extra_specs", "2.87"),
]
SERVER_READS = [
    ("/servers/detail?all_tenants=1", "2.47"),
    ("/servers/detail?all_tenants=1", "2.100"),
]


def _call(base: str, method: str, path: str, body, microversion: str):
    response = requests.request(
        method,
        base + path,
        json=body,
        headers={"X-Auth-Token": "admin", "OpenStack-API-Version": f"compute {microversion}"},
        timeout=60,
    )
    payload = response.json() if response.content else None
    return response.status_code, payload


@pytest.fixture(scope="module")
def clouds(nova_harness, tmp_path_factory):
    """Both clouds seeded by the same requests: (nova_url, sim_url, simulator, seed replies)."""
    nova_url, placement_url = nova_harness
    sim = Simulator().start()
    sim.state.add_default_flavors()
    for name, vcpus, memory_mb, local_gb in HOSTS:
        sim.state.add_host(name, vcpus, memory_mb, local_gb)
    replies = []
    for method, path, body, microversion in SEED:
        replies.append(
            (
                (method, path, microversion),
                _call(nova_url, method, path, body, microversion),
                _call(sim.url + "/v2.1", method, path, body, microversion),
            )
        )
    status, server = _call(
        nova_url,
        "POST",
        "/servers",
        {
            "server": {
                "name": "cool-1",
                "imageRef": IMAGE,
                "flavorRef": "100",
                "availability_zone": "test-az",
                "networks": "none",
            }
        },
        "2.87",
    )
    assert status == 202, server
    sim.state.add_server("cool-1", "devstack", "100")
    clouds_yaml = tmp_path_factory.mktemp("clouds") / "clouds.yaml"
    sim.write_clouds_yaml(clouds_yaml, "sim")
    sim.write_clouds_yaml(clouds_yaml, "sim-2.87", compute_api_version="2.87")
    data = yaml.safe_load(clouds_yaml.read_text())
    for name, version in (("nova", None), ("nova-2.87", "2.87")):
        data["clouds"][name] = harness_clouds_entry(nova_url, placement_url, version)
    clouds_yaml.write_text(yaml.safe_dump(data))
    previous = os.environ.get("OS_CLIENT_CONFIG_FILE")
    os.environ["OS_CLIENT_CONFIG_FILE"] = str(clouds_yaml)
    yield nova_url, sim.url + "/v2.1", sim, replies
    sim.stop()
    if previous is None:
        os.environ.pop("OS_CLIENT_CONFIG_FILE", None)
    else:
        os.environ["OS_CLIENT_CONFIG_FILE"] = previous


def test_writes_and_refusals_get_nova_status_message_and_shape(clouds):
    *_, replies = clouds
    problems = []
    for request, (nova_status, nova_body), (sim_status, sim_body) in replies:
        if nova_status != sim_status:
            problems.append(f"{request}: status simulator {sim_status}, Nova {nova_status}")
            continue
        if nova_status >= 400:
            if sim_body != nova_body:
                problems.append(f"{request}: error simulator {sim_body}, Nova {nova_body}")
        else:
            problems += [f"{request}: {d}" for d in differences(shape(sim_body), shape(nova_body))]
    assert problems == []


@pytest.mark.parametrize(("path", "microversion"), READS)
def test_reads_have_nova_shapes(clouds, path, microversion):
    nova_url, sim_url, *_ = clouds
    nova_status, nova_body = _call(nova_url, "GET", path, None, microversion)
    sim_status, sim_body = _call(sim_url, "GET", path, None, microversion)
    assert sim_status == nova_status
    assert differences(shape(sim_body), shape(nova_body)) == []


@pytest.mark.parametrize(("path", "microversion"), SERVER_READS)
def test_server_listing_has_what_the_simulator_serves_in_nova_shape(clouds, path, microversion):
    nova_url, sim_url, *_ = clouds
    nova_status, nova_body = _call(nova_url, "GET", path, None, microversion)
    sim_status, sim_body = _call(sim_url, "GET", path, None, microversion)
    assert sim_status == nova_status == 200
    assert differences(shape(sim_body), shape(nova_body), subset=True) == []


def _comparable(snapshot):
    """A snapshot without the ids each cloud invents (uuids, service ids, timestamps)."""
    return {
        "aggregates": sorted(
            (a.name, a.availability_zone, a.hosts, sorted(a.metadata.items()))
            for a in snapshot.aggregates
        ),
        "zones": sorted((z.name, z.available) for z in snapshot.zones),
        "flavors": sorted(
            (
                f.id,
                f.name,
                f.vcpus,
                f.ram,
                f.disk,
                f.is_public,
                f.disabled,
                f.access,
                sorted(f.extra_specs.items()),
            )
            for f in snapshot.flavors
        ),
        "hosts": sorted(
            (
                h.name,
                h.status,
                h.state,
                h.vcpus,
                h.memory_mb,
                h.local_gb,
                h.vcpus_used,
                h.memory_mb_used,
                h.local_gb_used,
                h.reserved_memory_mb,
                h.cpu_allocation_ratio,
            )
            for h in snapshot.hosts
        ),
        "services": sorted((s.binary, s.host, s.zone, s.status) for s in snapshot.services),
        "servers": sorted(
            (s.name, s.host, s.availability_zone, s.status, s.flavor_name) for s in snapshot.servers
        ),
    }


@pytest.mark.parametrize("suffix", ["", "-2.87"])
def test_client_snapshot_of_nova_equals_snapshot_of_simulator(clouds, suffix):
    nova = ComputeClient(f"nova{suffix}").snapshot()
    sim = ComputeClient(f"sim{suffix}").snapshot()
    assert nova.microversion == sim.microversion == ("2.87" if suffix else "2.101")
    assert _comparable(sim) == _comparable(nova)
    assert ("devstack", "test-az", "ACTIVE") in {
        (s.host, s.availability_zone, s.status) for s in nova.servers
    }
