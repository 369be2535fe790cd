"""manage.py sync_cloud: foreground sync, non-zero exit with the reason; SIGKILL mid-sync."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aggregates import tasks
from aggregates.models import SyncRun
from aggregates.sync import reconcile
from conftest import require_services

from .test_reconcile import expected, mirror

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_command_syncs_and_reports(connected_cloud, capsys):
    call_command("sync_cloud", connected_cloud.slug)

    out = capsys.readouterr().out
    assert f"Synced {connected_cloud.slug} at microversion 2.101" in out
    assert SyncRun.objects.get().status == "succeeded"


@pytest.mark.django_db
def test_command_fails_with_the_compute_api_reason(connected_cloud, simulator):
    simulator.app.inject("error", path="/os-aggregates")

    with pytest.raises(CommandError, match="failed \\(503\\): compute API error 500"):
        call_command("sync_cloud", connected_cloud.slug)


@pytest.mark.django_db
def test_command_refuses_an_unknown_cloud():
    with pytest.raises(CommandError, match="No cloud 'nope'"):
        call_command("sync_cloud", "nope")


def test_command_exits_non_zero_in_a_shell(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "sync_cloud", "no-such-cloud"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
        timeout=120,
    )
    assert result.returncode != 0


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_sync_leaves_no_partial_state_and_the_lock_expires(
    connected_cloud, simulator, clouds_yaml, settings
):
    require_services("PostgreSQL", "Redis")
    settings.STACKBOARD_SYNC_HOLD_SHARE = 1  # one host of three goes (held: test_removals.py)
    reconcile.sync_cloud(connected_cloud)
    simulator.state.hosts.pop("compute-3")
    simulator.state.set_aggregate_metadata(1, {"ssd": "true"})
    before = mirror(connected_cloud)
    simulator.app.inject("slow", path="/servers", seconds=60)
    simulator.app.requests.clear()
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "OS_CLIENT_CONFIG_FILE": str(clouds_yaml),
        "STACKBOARD_SYNC_LOCK_SECONDS": "5",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "sync_cloud", connected_cloud.slug], cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 60
    while ("GET", "/v2.1/servers/detail") not in simulator.app.requests:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = time.monotonic()

    assert mirror(connected_cloud) == before
    assert tasks.sync_cloud.apply(args=[connected_cloud.pk]).get() == "skipped"  # lock held
    simulator.app.clear_faults()
    while tasks.sync_cloud.apply(args=[connected_cloud.pk]).get() == "skipped":
        assert time.monotonic() - killed_at < 10, "the lock did not expire"
        time.sleep(0.5)

    assert mirror(connected_cloud) == expected(simulator.state)
    statuses = sorted(SyncRun.objects.values_list("status", flat=True))
    assert statuses == ["failed", "succeeded", "succeeded"]  # the killed run, closed as failed


def _one_server_id(simulator, new_id: str) -> None:
    server = next(iter(simulator.state.servers.values()))
    del simulator.state.servers[server.id]
    server.id = new_id
    simulator.state.servers[new_id] = server


@pytest.mark.django_db
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1234"])
def test_a_malformed_server_id_is_a_clear_failure_that_writes_nothing(
    connected_cloud, simulator, bad_id
):
    call_command("sync_cloud", connected_cloud.slug)
    before = set(connected_cloud.servers.values_list("uuid", flat=True))
    _one_server_id(simulator, bad_id)

    with pytest.raises(CommandError, match=r"servers\[\d+\]\.id: expected a UUID"):
        call_command("sync_cloud", connected_cloud.slug)

    assert set(connected_cloud.servers.values_list("uuid", flat=True)) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "attribute, value, field",
    [("state", "sideways", "state"), ("hypervisor_type", "Q" * 51, "hypervisor_type")],
)
def test_a_hypervisor_field_outside_novas_vocabulary_or_our_columns_is_refused(
    connected_cloud, simulator, attribute, value, field
):
    call_command("sync_cloud", connected_cloud.slug)
    host = next(iter(simulator.state.hosts.values()))
    setattr(host, attribute, value)

    with pytest.raises(CommandError, match=rf"hypervisors\[\d+\]\.{field}: "):
        call_command("sync_cloud", connected_cloud.slug)

    assert not connected_cloud.hosts.filter(**{attribute: value}).exists()
