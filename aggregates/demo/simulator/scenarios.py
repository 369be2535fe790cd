"""Ready-made simulator clouds: Nova's CLI tour (tests, demo) and a large synthetic one (bench)."""

from .state import CloudState


def seed_tour(state: CloudState) -> CloudState:
    """The DESIGN.md seed scenario as a connected cloud, plus a private flavor and servers."""
    state.add_default_flavors()
    state.add_host("devstack", 8, 16384, 200)
    state.add_host("compute-2", 4, 8192, 100)
    state.add_host("compute-3", 16, 32768, 400, cpu_allocation_ratio=2.0)
    first = state.create_aggregate("test-aggregate1")
    state.set_aggregate_metadata(first.id, {"coolhardware": "true"})
    second = state.create_aggregate("test-aggregate2", "test-az")
    state.add_host_to_aggregate(second.id, "devstack")
    state.create_flavor(
        {"name": "m1.coolhardware", "id": "100", "ram": 2048, "disk": 20, "vcpus": 2}
    )
    state.set_extra_specs("100", {"coolhardware": "true"})
    state.create_flavor(
        {
            "name": "m1.private",
            "id": "101",
            "ram": 1024,
            "disk": 10,
            "vcpus": 1,
            "os-flavor-access:is_public": False,
        }
    )
    state.add_access("101", "p-demo")
    state.add_server("cool-1", "devstack", "100")
    state.add_server("web-1", "compute-2", "2", project_id="p-demo")
    return state


def seed_large(
    state: CloudState, *, hosts: int = 10_000, aggregates: int = 500, flavors: int = 300
) -> CloudState:
    """A synthetic cloud of the size DESIGN.md's sync target names."""
    for index in range(hosts):
        state.add_host(f"compute-{index:05d}", 32, 131072, 1000)
    for index in range(aggregates):
        zone = f"az-{index % 10}" if index < 10 else None
        aggregate = state.create_aggregate(f"aggregate-{index:03d}", zone)
        state.set_aggregate_metadata(aggregate.id, {"tier": str(index % 3)})
        # Zone aggregates take disjoint host slices; the others overlap freely.
        size = hosts // 10 if index < 10 else 20
        start = index * size if index < 10 else (index * 17) % max(1, hosts - size)
        for host in range(start, min(hosts, start + size)):
            state.aggregates[aggregate.id].hosts.append(f"compute-{host:05d}")
    for index in range(flavors):
        fid = str(1000 + index)
        state.create_flavor(
            {
                "name": f"bench.f{index}",
                "id": fid,
                "ram": 1024 * (1 + index % 16),
                "vcpus": 1 + index % 8,
                "disk": 10 * (1 + index % 10),
            }
        )
        state.set_extra_specs(fid, {"hw:cpu_policy": "shared", "tier": str(index % 3)})
    return state
