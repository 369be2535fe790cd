"""The synthetic cloud of the benchmark is realistic enough to exercise every default step."""

from aggregates.scheduling import preview
from aggregates.scheduling.bench import TENANT_POOL_PROJECT, synthetic_cloud


def test_synthetic_cloud_is_deterministic_and_mixed():
    first = synthetic_cloud(400, seed=1)
    again = synthetic_cloud(400, seed=1)
    assert first.hosts == again.hosts
    assert len(first.aggregates) == 20
    zones = {a.availability_zone for a in first.aggregates if a.availability_zone}
    assert len(zones) == 4
    metadata = [a.metadata or {} for a in first.aggregates]
    assert any("ssd" in m for m in metadata) and any("gpu" in m for m in metadata)
    assert any(m.get("filter_tenant_id") == TENANT_POOL_PROJECT for m in metadata)
    assert any(h.is_disabled for h in first.hosts)


def test_synthetic_cloud_previews_with_candidates_and_rejections():
    cloud = synthetic_cloud(400, seed=3)
    result = preview(cloud.hosts, cloud.aggregates, cloud.request, cloud.config)
    assert 0 < result.summary.candidates < 400
    assert result.summary.rejected_by["map_az_to_placement_aggregate"] > 0
    assert result.summary.rejected_by["Placement"] > 0
