"""In a real browser: "Sync now" on a connected cloud syncs from the simulator and the htmx
status panel shows the outcome, then a failure with the compute API's message."""

import pytest

from aggregates.choices import CloudKind
from aggregates.demo.simulator import CloudState, Simulator
from aggregates.demo.simulator.scenarios import seed_tour
from aggregates.models import Host
from aggregates.tests.factories import CloudFactory
from dashboard.celery import app as celery_app
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def simulated_cloud(tmp_path, monkeypatch):
    sim = Simulator(seed_tour(CloudState())).start()
    monkeypatch.setenv(
        "OS_CLIENT_CONFIG_FILE", str(sim.write_clouds_yaml(tmp_path / "clouds.yaml", "sim"))
    )
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # in-process, as in the demo
    yield sim
    celery_app.conf.task_always_eager = previous
    sim.stop()


def test_sync_now_shows_the_outcome_in_place(page, admin_user, simulated_cloud):
    cloud = CloudFactory(slug="sim", kind=CloudKind.CONNECTED, os_cloud="sim")
    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto(f"/clouds/{cloud.slug}/sync/")
    assert "Never synced." in page.get_by_test_id("sync-status").inner_text()

    with page.expect_response(f"**/clouds/{cloud.slug}/sync/now/") as response_info:
        page.get_by_test_id("sync-now").click()

    assert response_info.value.request.headers.get("hx-request") == "true"
    page.get_by_text("Last sync succeeded").wait_for()
    assert Host.objects.filter(cloud=cloud).count() == 3
    page.locator("#sync-runs td", has_text="2.101").wait_for()  # the runs table refreshed

    simulated_cloud.app.inject("error", path="/os-aggregates")
    page.get_by_test_id("sync-now").click()
    page.get_by_test_id("sync-error").wait_for()
    assert "compute API error 500" in page.get_by_test_id("sync-error").inner_text()
    assert page.url.endswith(f"/clouds/{cloud.slug}/sync/")  # swapped in place, no navigation
