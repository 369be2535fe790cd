"""The compute API client: clouds.yaml lookup, negotiation, paging, validation, Nova's errors."""

import pytest

from aggregates.sync.client import ComputeClient
from aggregates.sync.errors import (
    ComputeApiError,
    ComputeConfigError,
    ComputeUnavailable,
    InvalidReply,
)


def test_unknown_clouds_yaml_entry_is_a_config_error_naming_os_cloud(clouds_yaml):
    with pytest.raises(ComputeConfigError, match="'nowhere'") as caught:
        ComputeClient("nowhere")
    assert caught.value.field == "os_cloud"


def test_microversion_is_the_highest_both_sides_accept_capped_by_clouds_yaml(clouds_yaml):
    assert ComputeClient("sim").microversion == "2.101"
    assert ComputeClient("sim-2.87").microversion == "2.87"


def test_listing_follows_every_page(clouds_yaml, simulator):
    flavors = ComputeClient("sim").list_flavors()  # the fixture serves 2 per page

    assert sorted(f.id for f in flavors) == sorted(simulator.state.flavors)
    assert simulator.app.requests.count(("GET", "/v2.1/flavors/detail")) == 5


def test_private_flavor_comes_with_its_access_list(clouds_yaml):
    flavors = {f.id: f for f in ComputeClient("sim").list_flavors()}

    assert (flavors["101"].is_public, flavors["101"].access) == (False, ("p-demo",))
    assert flavors["100"].extra_specs == {"coolhardware": "true"}


def test_reply_of_the_wrong_type_names_the_field(clouds_yaml, simulator):
    simulator.app.inject("mangle", path="/os-aggregates", field="hosts")

    with pytest.raises(
        InvalidReply, match=r"aggregates\[0\]\.hosts: expected array, got 'garbage'"
    ):
        ComputeClient("sim").list_aggregates()


def test_repeated_page_is_refused_not_merged(clouds_yaml, simulator):
    simulator.app.inject("repeat_page", path="/flavors")

    with pytest.raises(InvalidReply, match="listed twice"):
        ComputeClient("sim").list_flavors()


def test_nova_refusal_keeps_its_status_and_message(clouds_yaml):
    client = ComputeClient("sim")
    zone = client.create_aggregate("other", "other-az")

    with pytest.raises(ComputeApiError) as caught:
        client.aggregate_action(zone.id, "add_host", {"host": "devstack"})

    assert caught.value.status == 409
    assert caught.value.message == (
        f"Cannot add host to aggregate {zone.id}. Reason: One or more hosts already in "
        "availability zone(s) ['test-az']."
    )


def test_placement_provider_listing_refuses_paging(clouds_yaml, simulator):
    # Real Placement's GET /resource_providers takes no limit or marker: one call lists all.
    client = ComputeClient("sim")

    with pytest.raises(ComputeApiError, match="'limit' was unexpected"):
        client._request("placement", "GET", "/resource_providers", params={"limit": 1})
    assert len(client._provider_generations()) == len(simulator.state.hosts)


def test_placement_dropping_its_connections_is_unavailable_after_retries(clouds_yaml, simulator):
    client = ComputeClient("sim")
    provider = simulator.state.hosts["devstack"].uuid
    client._provider_figures(provider)  # pooled connections now open
    simulator.app.inject("down")

    with pytest.raises(ComputeUnavailable, match="placement API unreachable"):
        client._provider_figures(provider)


def test_an_embedded_flavor_spec_of_the_wrong_type_names_the_field(clouds_yaml, simulator):
    first = min(simulator.state.servers.values(), key=lambda server: server.id)
    first.flavor.extra_specs["hw:numa_nodes"] = 1  # a number where Nova sends strings

    with pytest.raises(
        InvalidReply, match=r"servers\[0\]\.flavor\.extra_specs\.hw:numa_nodes: expected string"
    ):
        ComputeClient("sim").list_servers()
