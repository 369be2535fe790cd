"""A running simulator and a connected cloud whose clouds.yaml entry points at it."""

import pytest

from aggregates.choices import CloudKind
from aggregates.demo.simulator import CloudState, Simulator
from aggregates.demo.simulator.scenarios import seed_tour
from aggregates.tests.factories import CloudFactory
from dashboard.celery import app as celery_app


@pytest.fixture
def simulator():
    sim = Simulator(seed_tour(CloudState()), max_limit=2).start()  # small pages: paging runs
    yield sim
    sim.stop()


@pytest.fixture
def clouds_yaml(tmp_path, monkeypatch, simulator):
    """clouds.yaml with `sim` (negotiated: 2.88+ with Placement) and `sim-2.87` (old layout)."""
    path = tmp_path / "clouds.yaml"
    simulator.write_clouds_yaml(path, "sim", api_timeout=2)
    simulator.write_clouds_yaml(path, "sim-2.87", compute_api_version="2.87", api_timeout=2)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    return path


@pytest.fixture
def connected_cloud(db, clouds_yaml):
    return CloudFactory(slug="sim-cloud", kind=CloudKind.CONNECTED, os_cloud="sim")


@pytest.fixture
def eager():
    """Tasks in-process, as in the demo (the test settings point Celery at Redis)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
