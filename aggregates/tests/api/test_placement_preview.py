"""Placement preview API: the CLI tour, what-if and apply, roles, bad requests, constant queries."""

import gzip
import json

import pytest
from django.urls import reverse

from aggregates.demo import tour as demo
from aggregates.models import Aggregate, Cloud, Flavor, Host
from aggregates.tests.factories import (
    AggregateFactory,
    CloudFactory,
    FlavorFactory,
    HostFactory,
    ServerFactory,
)
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(admin_user) -> Cloud:
    """The CLI tour of DESIGN.md, seeded as the demo does (AggregateInstanceExtraSpecsFilter on)."""
    demo._seed_devstack(admin_user)
    return Cloud.objects.get(slug="devstack")


def preview(client, cloud, **body):
    return client.post(
        reverse("api-placement-preview", args=[cloud.slug]), body, content_type="application/json"
    )


def host(payload: dict, name: str) -> dict:
    return next(row for row in payload["hosts"] if row["host"] == name)


def test_tour_rejects_devstack_by_extra_specs_naming_coolhardware(admin_client, tour):
    response = preview(admin_client, tour, flavor="100", availability_zone="test-az")

    assert response.status_code == 200
    devstack = host(response.json(), "devstack")
    assert devstack["passed"] is False
    assert devstack["failed_filter"] == "AggregateInstanceExtraSpecsFilter"
    assert "coolhardware" in devstack["reason"]
    compute2 = host(response.json(), "compute-2")
    assert compute2["failed_filter"] == "map_az_to_placement_aggregate"
    assert "test-az" in compute2["reason"]
    assert response.json()["summary"]["candidates"] == 0


def test_every_step_is_listed_even_after_a_rejection(admin_client, tour):
    response = preview(admin_client, tour, flavor=100, availability_zone="test-az")

    names = [step["name"] for step in host(response.json(), "compute-2")["filters"]]
    assert names[names.index("Placement") + 1 :] == list(response.json()["enabled_filters"])
    assert "map_az_to_placement_aggregate" in names


def test_tour_passes_and_ranks_devstack_first_after_it_joins_aggregate1(
    admin_client, admin_user, tour
):
    aggregate1 = Aggregate.objects.get(cloud=tour, name="test-aggregate1")
    admin_client.post(
        reverse("api-aggregate-action", args=[tour.slug, aggregate1.pk]),
        {"add_host": {"host": "devstack"}},
        content_type="application/json",
    )

    response = preview(admin_client, tour, flavor="100", availability_zone="test-az")

    devstack = host(response.json(), "devstack")
    assert devstack["passed"] is True
    assert devstack["rank"] == 1
    assert devstack["slots"] == 7  # min(8 × 4.0 / 2, (16384 − 512) / 2048, 200 / 20): RAM
    assert response.json()["summary"]["best_hosts"] == ["devstack"]


def test_what_if_add_host_shows_devstack_gained_without_writing(admin_client, tour):
    change = {"action": "add_host", "aggregate": "test-aggregate1", "host": "devstack"}
    entries = AuditEntry.objects.count()

    response = preview(
        admin_client, tour, flavor="100", availability_zone="test-az", changes=[change]
    )

    assert response.status_code == 200
    what_if = response.json()["what_if"]
    assert what_if["hosts_gained"] == ["devstack"]
    assert what_if["hosts_lost"] == []
    assert what_if["total_slots_before"] == 0
    assert what_if["total_slots_after"] > 0
    assert host(response.json(), "devstack")["rank"] == 1
    assert not Aggregate.objects.get(name="test-aggregate1").hosts.exists()
    assert AuditEntry.objects.count() == entries


def test_apply_commits_the_change_set_with_audit_entries(admin_client, tour):
    changes = [
        {"action": "add_host", "aggregate": "test-aggregate1", "host": "devstack"},
        {"action": "set_metadata", "aggregate": "test-aggregate1", "metadata": {"ssd": "true"}},
    ]
    entries = AuditEntry.objects.count()

    response = admin_client.post(
        reverse("api-placement-preview-apply", args=[tour.slug]),
        {"changes": changes},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    aggregate1 = Aggregate.objects.get(name="test-aggregate1")
    assert list(aggregate1.hosts.values_list("name", flat=True)) == ["devstack"]
    assert aggregate1.metadata == {"coolhardware": "true", "ssd": "true"}
    assert AuditEntry.objects.count() == entries + 2
    after = preview(admin_client, tour, flavor="100", availability_zone="test-az")
    assert host(after.json(), "devstack")["passed"] is True


def test_apply_is_all_or_nothing(admin_client, tour):
    changes = [
        {"action": "add_host", "aggregate": "test-aggregate1", "host": "devstack"},
        {"action": "add_host", "aggregate": "test-aggregate1", "host": "devstack"},
    ]
    entries = AuditEntry.objects.count()

    response = admin_client.post(
        reverse("api-placement-preview-apply", args=[tour.slug]),
        {"changes": changes},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "changes[1].host"
    assert not Aggregate.objects.get(name="test-aggregate1").hosts.exists()
    assert AuditEntry.objects.count() == entries


def test_what_if_resizing_an_existing_flavor_is_refused_naming_the_size(admin_client, tour):
    # Nova flavors are immutable: only description, extra specs and access change after create.
    changes = [
        {"action": "disable_host", "host": "compute-2", "disabled_reason": "maintenance"},
        {"action": "update_flavor", "flavor": "2", "ram": 4096},
    ]

    response = preview(admin_client, tour, flavor="2", changes=changes)

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "changes[1].ram"
    assert "cannot be resized" in error["message"] and "create_flavor" in error["message"]


def test_what_if_models_a_new_flavor_of_another_size(admin_client, tour):
    changes = [
        {"action": "disable_host", "host": "compute-2", "disabled_reason": "maintenance"},
        {"action": "create_flavor", "name": "m1.small.4g", "vcpus": 1, "ram": 4096, "disk": 20},
    ]

    response = preview(admin_client, tour, flavor="m1.small.4g", changes=changes)

    payload = response.json()
    assert response.status_code == 200, payload
    assert payload["what_if"]["hosts_lost"] == ["compute-2"]
    assert host(payload, "compute-2")["failed_filter"] == "compute_status_filter"
    assert (payload["flavor"]["name"], payload["flavor"]["ram"]) == ("m1.small.4g", 4096)
    assert not Flavor.objects.filter(name="m1.small.4g").exists()
    assert Flavor.objects.get(cloud=tour, flavor_id="2").ram == 2048


def test_a_new_flavor_whose_name_is_taken_is_refused_as_nova_would(admin_client, tour):
    changes = [{"action": "create_flavor", "name": "m1.small", "vcpus": 1, "ram": 4096}]

    response = preview(admin_client, tour, flavor="2", changes=changes)

    assert response.json()["what_if"]["refused"] == [
        {
            "change": 0,
            "action": "create_flavor",
            "status": 409,
            "message": "Flavor with name m1.small already exists.",
        }
    ]


def test_apply_creates_the_new_flavor_and_leaves_the_others_as_they_were(admin_client, tour):
    changes = [
        {
            "action": "create_flavor",
            "name": "m1.cool.large",
            "vcpus": 4,
            "ram": 8192,
            "disk": 40,
            "extra_specs": {"coolhardware": "true"},
        }
    ]

    response = admin_client.post(
        reverse("api-placement-preview-apply", args=[tour.slug]),
        {"changes": changes},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    created = Flavor.objects.get(cloud=tour, name="m1.cool.large")
    assert (created.flavor_id, created.vcpus, created.ram, created.disk) == (
        "m1.cool.large",
        4,
        8192,
        40,
    )
    assert created.extra_specs == {"coolhardware": "true"}
    assert Flavor.objects.get(cloud=tour, flavor_id="100").ram == 2048


def test_apply_refuses_a_flavor_resize_and_writes_nothing(admin_client, tour):
    entries = AuditEntry.objects.count()

    response = admin_client.post(
        reverse("api-placement-preview-apply", args=[tour.slug]),
        {"changes": [{"action": "update_flavor", "flavor": "100", "vcpus": 4}]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "changes[0].vcpus"
    assert Flavor.objects.get(cloud=tour, flavor_id="100").vcpus == 2
    assert AuditEntry.objects.count() == entries


def test_members_cannot_use_the_preview(member_client, tour):
    assert preview(member_client, tour, flavor="100").status_code == 403
    apply_url = reverse("api-placement-preview-apply", args=[tour.slug])
    assert member_client.post(apply_url, {}, content_type="application/json").status_code == 403
    scheduler_url = reverse("api-cloud-scheduler", args=[tour.slug])
    assert member_client.get(scheduler_url).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"flavor": "999"}, "flavor"),
        ({}, "flavor"),
        ({"flavor": "100", "hints": "same_host"}, "hints"),
        ({"flavor": "100", "hints": True}, "hints"),  # the fuzz stage's 500
        ({"flavor": "100", "hints": 7}, "hints"),
        ({"flavor": "100", "hints": ["same_host"]}, "hints"),
        ({"flavor": "100", "changes": True}, "changes"),
        ({"flavor": "100", "image_properties": ["x"]}, "image_properties"),
        ({"flavor": "100", "hints": {"same_host": 5}}, "hints.same_host"),
        ({"flavor": "100", "hints": {"bogus": "x"}}, "hints.bogus"),
        ({"flavor": "100", "hints": {"group": {"policy": "x"}}}, "hints.group.policy"),
        ({"flavor": "100", "changes": "add"}, "changes"),
        ({"flavor": "100", "changes": [{"action": "explode"}]}, "changes[0].action"),
        (
            {"flavor": "100", "changes": [{"action": "add_host", "host": "x"}]},
            "changes[0].aggregate",
        ),
        (
            {"flavor": "100", "changes": [{"action": "update_flavor", "flavor": "1", "ram": -1}]},
            "changes[0].ram",
        ),
        (
            {"flavor": "100", "changes": [{"action": "create_flavor", "vcpus": 1, "ram": 64}]},
            "changes[0].name",
        ),
        (
            {"flavor": "100", "changes": [{"action": "create_flavor", "name": "x", "ram": 64}]},
            "changes[0].vcpus",
        ),
        (
            {
                "flavor": "100",
                "changes": [{"action": "create_flavor", "name": "x", "vcpus": 1, "ram": "lots"}],
            },
            "changes[0].ram",
        ),
        (
            {
                "flavor": "100",
                "changes": [{"action": "create_flavor", "name": "x", "vcpus": 1, "ram": 2**31}],
            },
            "changes[0].ram",
        ),
    ],
)
def test_bad_requests_name_the_field(admin_client, tour, body, field):
    response = preview(admin_client, tour, **body)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_unparseable_extra_spec_is_an_error_naming_the_key(admin_client, tour):
    # nova-scheduling.md §4.2: "<or>" with nothing after it raises once a host's aggregate has
    # the key, so Nova fails the request instead of rejecting the host.
    Aggregate.objects.get(name="test-aggregate1").hosts.add(Host.objects.get(name="devstack"))
    flavor = FlavorFactory(
        cloud=tour, flavor_id="bad", name="bad", extra_specs={"coolhardware": "<or>"}
    )

    response = preview(admin_client, tour, flavor=flavor.flavor_id)

    assert response.status_code == 200
    errors = response.json()["errors"]
    assert errors and "coolhardware" in errors[0]


def test_aggregate_allocation_ratio_metadata_is_warned_about(admin_client, tour):
    aggregate = Aggregate.objects.get(name="test-aggregate2")
    aggregate.metadata = {**aggregate.metadata, "cpu_allocation_ratio": "16.0"}
    aggregate.save()

    response = preview(admin_client, tour, flavor="1")

    assert any("cpu_allocation_ratio" in warning for warning in response.json()["warnings"])


@pytest.mark.parametrize("hosts", [3, 60])
def test_preview_queries_do_not_grow_with_hosts(admin_client, hosts, django_assert_max_num_queries):
    cloud = CloudFactory(slug="q")
    made = HostFactory.create_batch(hosts, cloud=cloud)
    AggregateFactory(cloud=cloud, availability_zone="az-1", hosts=made[: hosts // 2])
    AggregateFactory(cloud=cloud, hosts=made[hosts // 3 :])
    FlavorFactory(cloud=cloud, flavor_id="1")

    with django_assert_max_num_queries(10):
        response = preview(admin_client, cloud, flavor="1", availability_zone="az-1")

    assert response.status_code == 200
    assert len(response.json()["hosts"]) == hosts


def test_scheduler_config_get_has_novas_defaults(admin_client, tour):
    response = admin_client.get(reverse("api-cloud-scheduler", args=[tour.slug]))

    assert response.status_code == 200
    assert response.json()["max_placement_results"] == 1000
    assert response.json()["ram_weight_multiplier"] == 1.0
    assert "AggregateInstanceExtraSpecsFilter" in response.json()["enabled_filters"]


def test_scheduler_config_patch_merges_and_audits(admin_client, tour):
    entries = AuditEntry.objects.count()

    response = admin_client.patch(
        reverse("api-cloud-scheduler", args=[tour.slug]),
        {"ram_weight_multiplier": "2.5", "max_placement_results": 5},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["ram_weight_multiplier"] == 2.5
    tour.refresh_from_db()
    assert tour.scheduler_config["max_placement_results"] == 5
    assert "AggregateInstanceExtraSpecsFilter" in tour.scheduler_config["enabled_filters"]
    assert AuditEntry.objects.count() == entries + 1


def test_scheduler_config_put_replaces(admin_client, tour):
    response = admin_client.put(
        reverse("api-cloud-scheduler", args=[tour.slug]),
        {"host_subset_size": 2},
        content_type="application/json",
    )

    assert response.status_code == 200
    tour.refresh_from_db()
    assert tour.scheduler_config == {"host_subset_size": 2}
    assert "AggregateInstanceExtraSpecsFilter" not in response.json()["enabled_filters"]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"bogus_option": 1}, "bogus_option"),
        ({"enabled_filters": ["AvailabilityZoneFilter"]}, "enabled_filters"),
        ({"max_placement_results": "many"}, "max_placement_results"),
        ({"ram_weight_multiplier": True}, "ram_weight_multiplier"),
        ({"host_subset_size": 0}, "host_subset_size"),
        ({"default_availability_zone": "a:b"}, "default_availability_zone"),
    ],
)
def test_scheduler_config_refuses_unknown_and_bad_values_naming_the_key(
    admin_client, tour, body, key
):
    before = dict(tour.scheduler_config)

    response = admin_client.patch(
        reverse("api-cloud-scheduler", args=[tour.slug]), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == key
    tour.refresh_from_db()
    assert tour.scheduler_config == before


def test_api_json_equals_the_plain_payload(admin_client, tour):
    from aggregates import preview as stored_preview
    from aggregates.api import preview_json

    response = preview(admin_client, tour, flavor="100", availability_zone="test-az")

    outcome = stored_preview.run_preview(
        tour, stored_preview.PreviewQuery(flavor="100", availability_zone="test-az")
    )
    assert response.json() == json.loads(json.dumps(preview_json.outcome_payload(outcome)))


def test_preview_json_is_gzipped_for_clients_that_accept_it(admin_client, tour):
    url = reverse("api-placement-preview", args=[tour.slug])
    body = {"flavor": "100", "availability_zone": "test-az"}

    plain = admin_client.post(url, body, content_type="application/json")
    zipped = admin_client.post(
        url, body, content_type="application/json", HTTP_ACCEPT_ENCODING="gzip"
    )

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Length"] == str(len(zipped.content))
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()


def test_preview_page_html_is_never_gzipped(admin_client, tour):
    # BREACH: the page carries a CSRF token beside text the requester chose.
    response = admin_client.get(
        reverse("aggregates:placement_preview", args=[tour.slug]) + "?flavor=100",
        HTTP_ACCEPT_ENCODING="gzip",
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert len(response.content) > 200  # long enough that GZipMiddleware would compress it
    assert "Content-Encoding" not in response


@pytest.fixture
def zoned_cloud():
    """h1 in the legacy zone value 'nova,nova2', h2 in no zone (the default 'nova'), h3 in
    'az-off' whose only host is disabled."""
    cloud = CloudFactory(slug="zones")
    h1, h2, h3 = (HostFactory(cloud=cloud, name=name) for name in ("h1", "h2", "h3"))
    h3.status = "disabled"
    h3.save()
    AggregateFactory(cloud=cloud, name="legacy", availability_zone="nova,nova2", hosts=[h1])
    AggregateFactory(cloud=cloud, name="off", availability_zone="az-off", hosts=[h3])
    FlavorFactory(cloud=cloud, flavor_id="1")
    return cloud


@pytest.mark.parametrize("zone", ["no-such-az", "az-off"])
def test_zone_nova_api_refuses_is_a_refused_boot_in_the_summary(admin_client, zoned_cloud, zone):
    response = preview(admin_client, zoned_cloud, flavor="1", availability_zone=zone)

    assert response.status_code == 200  # the request to preview is valid
    summary = response.json()["summary"]
    assert summary["zone"]["api_check"] == {
        "passed": False,
        "status": 400,
        "message": "The requested availability zone is not available",
    }
    assert summary["request_error"] == "400: The requested availability zone is not available"
    assert summary["best_hosts"] == []


def test_zone_prefilter_matches_whole_values_and_restricts_nothing_when_none_match(
    admin_client, zoned_cloud
):
    # 'nova' is h2's zone, so the API accepts it; no aggregate's value equals 'nova' ('nova,nova2'
    # does not), so the pre-filter restricts nothing and h1, in another zone, may be picked.
    response = preview(admin_client, zoned_cloud, flavor="1", availability_zone="nova")

    payload = response.json()
    zone = payload["summary"]["zone"]
    assert zone["api_check"]["passed"] is True
    assert zone["map_az_to_placement_aggregate"]["restricts"] is False
    assert host(payload, "h1")["passed"] and host(payload, "h2")["passed"]


def test_forced_host_skips_novas_zone_check(admin_client, zoned_cloud):
    # "az:host" forces the host: Nova's API does not check the zone part.
    response = preview(admin_client, zoned_cloud, flavor="1", availability_zone="bogus:h2")

    assert response.status_code == 200
    summary = response.json()["summary"]
    assert summary["zone"]["api_check"]["passed"] is True
    assert summary["request_error"] is None
    assert summary["best_hosts"] == ["h2"]


def test_what_if_change_putting_a_host_in_two_zones_is_refused_and_left_out(admin_client, tour):
    changes = [
        {
            "action": "set_metadata",
            "aggregate": "test-aggregate1",
            "metadata": {"availability_zone": "other-az"},
        },
        {"action": "add_host", "aggregate": "test-aggregate1", "host": "devstack"},
    ]

    response = preview(admin_client, tour, flavor="100", changes=changes)

    assert response.status_code == 200
    what_if = response.json()["what_if"]
    aggregate1 = Aggregate.objects.get(name="test-aggregate1")
    assert what_if["refused"] == [
        {
            "change": 1,
            "action": "add_host",
            "status": 409,
            "message": f"Cannot add host to aggregate {aggregate1.pk}. Reason: One or more hosts "
            "already in availability zone(s) ['test-az'].",
        }
    ]
    # The after side is computed without it: devstack stays in test-az, outside aggregate1.
    assert what_if["hosts_gained"] == []
    assert host(response.json(), "devstack")["failed_filter"] == "AggregateInstanceExtraSpecsFilter"


def test_what_if_renaming_a_zone_with_instances_is_refused(admin_client, tour):
    ServerFactory(host=Host.objects.get(cloud=tour, name="devstack"))
    change = {
        "action": "set_metadata",
        "aggregate": "test-aggregate2",
        "metadata": {"availability_zone": "renamed-az"},
    }

    response = preview(
        admin_client, tour, flavor="1", availability_zone="test-az", changes=[change]
    )

    refused = response.json()["what_if"]["refused"]
    assert [(r["change"], r["status"]) for r in refused] == [(0, 400)]
    assert refused[0]["message"].endswith(
        "Reason: One or more hosts contain instances in this zone."
    )
    # Left out: test-az still exists after the change set, so the boot is not refused.
    assert response.json()["summary"]["zone"]["api_check"]["passed"] is True


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"action": "add_host", "aggregate": "test-aggregate1", "host": "nope"},
            "Compute host nope could not be found.",
        ),
        (
            {"action": "add_host", "aggregate": 9999, "host": "devstack"},
            "Aggregate 9999 could not be found.",
        ),
    ],
)
def test_what_if_change_naming_what_nova_does_not_know_is_refused(
    admin_client, tour, change, message
):
    response = preview(admin_client, tour, flavor="100", changes=[change])

    assert response.status_code == 200
    assert response.json()["what_if"]["refused"] == [
        {"change": 0, "action": "add_host", "status": 404, "message": message}
    ]
