"""Demo data: one connected cloud, mirrored from the Nova-compatible simulator.

scripts/demo starts `manage.py run_compute_simulator` beside the site and points
OS_CLIENT_CONFIG_FILE at the clouds.yaml it writes (entry `stackboard-demo`), so "Sync now"
works while the demo runs. Without it (seed_demo on its own) the seed syncs once from a
simulator started in a thread for the occasion; later syncs then fail visibly ("unusable
clouds.yaml entry"), which is what an unreachable cloud looks like.
"""

import os
import tempfile
from pathlib import Path

from aggregates.choices import CloudKind
from aggregates.demo import tour as demo
from aggregates.demo.simulator import CloudState, Simulator
from aggregates.demo.simulator.scenarios import seed_tour
from aggregates.demo.synthetic import RAW_EVERY
from aggregates.models import Cloud, SyncRun
from aggregates.sync import reconcile
from aggregates.sync.client import load_region
from aggregates.sync.errors import ComputeConfigError, ComputeError

OS_CLOUD = "stackboard-demo"
SLUG = "simulated-nova"


def seed(*, users: dict) -> str:
    cloud = Cloud.objects.filter(slug=SLUG).first()
    if cloud is None:
        cloud = Cloud.objects.create(
            slug=SLUG,
            name="Simulated Nova (connected)",
            region="RegionOne",
            kind=CloudKind.CONNECTED,
            os_cloud=OS_CLOUD,
            sync_interval_minutes=0,  # the demo has no beat; "Sync now" syncs it
        )
    try:
        load_region(OS_CLOUD)
    except ComputeConfigError:
        return _sync_from_a_temporary_simulator(cloud)
    try:
        run = reconcile.sync_cloud(cloud)
    except ComputeError as error:
        return f"cloud {SLUG}: sync failed ({error.message})"
    return f"cloud {SLUG} synced from the simulator ({run.created} rows created); {_history(run)}"


def _sync_from_a_temporary_simulator(cloud: Cloud) -> str:
    previous = os.environ.get("OS_CLIENT_CONFIG_FILE")
    with Simulator(seed_tour(CloudState())) as simulator, tempfile.TemporaryDirectory() as tmp:
        os.environ["OS_CLIENT_CONFIG_FILE"] = str(
            simulator.write_clouds_yaml(Path(tmp) / "clouds.yaml", OS_CLOUD)
        )
        try:
            run = reconcile.sync_cloud(cloud)
        finally:
            if previous is None:
                os.environ.pop("OS_CLIENT_CONFIG_FILE", None)
            else:
                os.environ["OS_CLIENT_CONFIG_FILE"] = previous
    return (
        f"cloud {SLUG} synced once from a temporary simulator ({run.created} rows); "
        f"{_history(run)}; run scripts/demo for a simulator that stays up"
    )


def _history(run: SyncRun) -> str:
    # Up to one sampling period before the sync's own sample, as if it had been synced for weeks.
    return demo.seed_history(run.cloud, until=run.finished_at - RAW_EVERY)
