"""The REST API: the CLI tour, Nova's refusals as JSON, roles per endpoint, constant queries."""

import pytest
from django.urls import reverse

from aggregates.models import Aggregate, Cloud, Flavor
from aggregates.tests.factories import (
    AggregateFactory,
    CloudFactory,
    FlavorFactory,
    HostFactory,
    fill_cloud,
)
from aggregates.tests.tour import NOVA_AFTER_TOUR, tour_state
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


def url(name: str, cloud, *args) -> str:
    return reverse(name, args=[cloud.slug, *args])


def action(client, aggregate, body):
    return client.post(
        url("api-aggregate-action", aggregate.cloud, aggregate.pk),
        body,
        content_type="application/json",
    )


@pytest.mark.parametrize("slug", ["\u00cc", "caf\u00e9", "a b", "x" * 51])
def test_a_cloud_slug_outside_ascii_letters_digits_dash_underscore_is_refused(admin_client, slug):
    # Found by fuzzing: "Ì" was accepted, then no URL could reach the cloud.
    response = admin_client.post(reverse("api-cloud-list"), {"slug": slug, "name": "N"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "slug"


@pytest.mark.parametrize("slug", ["devstack", "DevStack", "DEVSTACK"])
def test_a_cloud_slug_that_differs_only_in_case_is_a_409_on_slug(admin_client, slug):
    CloudFactory(slug="devstack")

    response = admin_client.post(reverse("api-cloud-list"), {"slug": slug, "name": "Twin"})

    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"field": "slug", "message": "Cloud devstack already exists."}
    ]
    assert Cloud.objects.count() == 1


def test_cli_tour_through_the_api_yields_novas_state(admin_client):
    created = admin_client.post(
        reverse("api-cloud-list"), {"slug": "devstack", "name": "DevStack", "kind": "local"}
    )
    assert created.status_code == 201
    cloud = CloudFactory(slug="devstack")
    for name, vcpus, ram, disk in (("devstack", 8, 16384, 200), ("compute-2", 4, 8192, 100)):
        response = admin_client.post(
            url("api-host-list", cloud),
            {"name": name, "vcpus": vcpus, "memory_mb": ram, "local_gb": disk},
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()

    agg1 = admin_client.post(url("api-aggregate-list", cloud), {"name": "test-aggregate1"})
    agg2 = admin_client.post(
        url("api-aggregate-list", cloud),
        {"name": "test-aggregate2", "availability_zone": "test-az"},
    )
    assert (agg1.status_code, agg2.status_code) == (201, 201)
    agg1, agg2 = (
        Aggregate.objects.get(pk=agg1.json()["id"]),
        Aggregate.objects.get(pk=agg2.json()["id"]),
    )
    added = action(admin_client, agg2, {"add_host": {"host": "devstack"}})
    meta = action(admin_client, agg1, {"set_metadata": {"metadata": {"coolhardware": "true"}}})
    flavor = admin_client.post(
        url("api-flavor-list", cloud),
        {"id": "100", "name": "m1.coolhardware", "ram": 2048, "disk": 20, "vcpus": 2},
    )
    spec = admin_client.post(
        url("api-flavor-extra-specs", cloud, "100"),
        {"extra_specs": {"coolhardware": "true"}},
        content_type="application/json",
    )

    assert [r.status_code for r in (added, meta, flavor, spec)] == [200, 200, 201, 200]
    assert added.json() == {
        "id": agg2.pk,
        "name": "test-aggregate2",
        "availability_zone": "test-az",
        "hosts": ["devstack"],
        "metadata": {"availability_zone": "test-az"},
        "created_at": added.json()["created_at"],
        "updated_at": added.json()["updated_at"],
    }
    assert tour_state(cloud) == NOVA_AFTER_TOUR
    zones = admin_client.get(url("api-zone-list", cloud)).json()
    assert zones == {
        "availabilityZoneInfo": [
            {"zoneName": "nova", "zoneState": {"available": True}, "hosts": None},
            {"zoneName": "test-az", "zoneState": {"available": True}, "hosts": None},
        ]
    }


def test_conflicting_zone_add_is_409_with_novas_message_and_changes_nothing(admin_client):
    host = HostFactory(name="devstack")
    AggregateFactory(
        cloud=host.cloud, name="test-aggregate2", availability_zone="test-az", hosts=[host]
    )
    target = AggregateFactory(
        cloud=host.cloud, name="test-aggregate3", availability_zone="other-az"
    )
    audit_before = AuditEntry.objects.count()

    response = action(admin_client, target, {"add_host": {"host": "devstack"}})

    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["field"] == "host"
    assert error["message"].startswith(
        f"Cannot add host to aggregate {target.pk}. "
        "Reason: One or more hosts already in availability zone(s) ['test-az']."
    )
    assert "devstack" in error["message"] and "other-az" in error["message"]
    assert not target.hosts.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    ("body", "status", "field", "message"),
    [
        (
            {"add_host": {"host": "no-such-host"}},
            404,
            "host",
            "Compute host no-such-host could not be found.",
        ),
        (
            {"remove_host": {"host": "devstack"}},
            404,
            "host",
            "Cannot remove host devstack in aggregate",
        ),
        ({"set_metadata": {"metadata": {"bad/key": "x"}}}, 400, "metadata.bad/key", "Invalid key"),
        ({"set_metadata": {"metadata": {"k": 5}}}, 400, "metadata.k", "must be a string or null"),
        ({"set_metadata": {"metadata": "nope"}}, 400, "metadata", "must be an object"),
        (
            {"set_metadata": {"metadata": {"availability_zone": None}}},
            400,
            "availability_zone",
            "empty named",
        ),
        (
            {"add_host": {"host": "devstack"}, "remove_host": {"host": "devstack"}},
            400,
            None,
            "exactly one",
        ),
        ({"reboot": {}}, 400, None, "exactly one"),
        ({"add_host": {}}, 400, "add_host.host", "required"),
    ],
)
def test_action_refusals_answer_the_error_format(admin_client, body, status, field, message):
    host = HostFactory(name="devstack")
    aggregate = AggregateFactory(
        cloud=host.cloud, availability_zone="az1", metadata={"availability_zone": "az1"}
    )

    response = action(admin_client, aggregate, body)

    assert response.status_code == status
    [error] = response.json()["errors"]
    assert error["field"] == field and message in error["message"]
    aggregate.refresh_from_db()
    assert aggregate.metadata == {"availability_zone": "az1"} and not aggregate.hosts.exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": ""}, 400, "name"),
        ({"name": " padded"}, 400, "name"),
        ({"name": "x" * 256}, 400, "name"),
        ({"name": "taken"}, 409, "name"),
        ({"name": "ok", "availability_zone": "a:b"}, 400, "availability_zone"),
        ({"name": "ok", "availability_zone": ""}, 400, "availability_zone"),
        ({}, 400, "name"),
    ],
)
def test_create_aggregate_refusals(admin_client, body, status, field):
    cloud = CloudFactory()
    AggregateFactory(cloud=cloud, name="taken")

    response = admin_client.post(
        url("api-aggregate-list", cloud), body, content_type="application/json"
    )

    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field
    assert Aggregate.objects.filter(cloud=cloud).count() == 1


def test_duplicate_aggregate_is_409_in_novas_words(admin_client):
    aggregate = AggregateFactory(name="taken")
    response = admin_client.post(url("api-aggregate-list", aggregate.cloud), {"name": "taken"})
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"field": "name", "message": "Aggregate taken already exists."}
    ]


def test_update_and_delete_aggregate(admin_client):
    aggregate = AggregateFactory(name="old")
    detail = url("api-aggregate-detail", aggregate.cloud, aggregate.pk)

    renamed = admin_client.put(
        detail, {"name": "new", "availability_zone": "az9"}, content_type="application/json"
    )
    bad = admin_client.patch(detail, {"hosts": []}, content_type="application/json")
    deleted = admin_client.delete(detail)

    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["availability_zone"]) == ("new", "az9")
    assert bad.status_code == 400
    assert deleted.status_code == 204 and not Aggregate.objects.exists()


def test_delete_of_aggregate_with_hosts_is_400(admin_client):
    host = HostFactory()
    aggregate = AggregateFactory(cloud=host.cloud, hosts=[host])
    response = admin_client.delete(url("api-aggregate-detail", aggregate.cloud, aggregate.pk))
    assert response.status_code == 400
    assert "Host aggregate is not empty." in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"id": "1", "name": "other", "vcpus": 1, "ram": 1}, 409, "id"),
        ({"id": "9", "name": "m1.tiny", "vcpus": 1, "ram": 1}, 409, "name"),
        ({"id": "bad/id", "name": "x", "vcpus": 1, "ram": 1}, 400, "id"),
        ({"id": "9", "name": "x", "vcpus": 0, "ram": 1}, 400, "vcpus"),
        ({"id": "9", "name": "x", "vcpus": "many", "ram": 1}, 400, "vcpus"),
        ({"id": "9", "name": "x", "vcpus": 1}, 400, "ram"),
        ({"id": "9", "name": "x", "vcpus": 1, "ram": 1, "disk": -5}, 400, "disk"),
    ],
)
def test_create_flavor_refusals(admin_client, body, status, field):
    cloud = CloudFactory()
    FlavorFactory(cloud=cloud, flavor_id="1", name="m1.tiny")

    response = admin_client.post(
        url("api-flavor-list", cloud), body, content_type="application/json"
    )

    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field
    assert Flavor.objects.filter(cloud=cloud).count() == 1


def test_extra_spec_per_key_get_put_delete(admin_client):
    flavor = FlavorFactory(flavor_id="100", extra_specs={"a": "1"})
    key_url = url("api-flavor-extra-spec", flavor.cloud, "100", "hw:cpu_policy")

    put = admin_client.put(key_url, {"hw:cpu_policy": "dedicated"}, content_type="application/json")
    mismatch = admin_client.put(key_url, {"other": "x"}, content_type="application/json")
    invalid = admin_client.put(key_url, {"hw:cpu_policy": "fast"}, content_type="application/json")
    got = admin_client.get(key_url)
    deleted = admin_client.delete(key_url)
    missing = admin_client.get(key_url)

    assert (put.status_code, put.json()) == (200, {"hw:cpu_policy": "dedicated"})
    assert (
        mismatch.status_code == 400
        and mismatch.json()["errors"][0]["message"] == "Request body and URI mismatch"
    )
    assert (
        invalid.status_code == 400
        and invalid.json()["errors"][0]["field"] == "extra_specs.hw:cpu_policy"
    )
    assert got.json() == {"hw:cpu_policy": "dedicated"}
    assert deleted.status_code == 204
    assert missing.status_code == 404
    flavor.refresh_from_db()
    assert flavor.extra_specs == {"a": "1"}


def test_flavor_access_list_add_remove(admin_client):
    private = FlavorFactory(flavor_id="p", is_public=False)
    public = FlavorFactory(cloud=private.cloud, flavor_id="pub")
    access = url("api-flavor-access", private.cloud, "p")

    added = admin_client.post(access, {"tenant": "proj-a"})
    duplicate = admin_client.post(access, {"tenant": "proj-a"})
    on_public = admin_client.post(url("api-flavor-access", public.cloud, "pub"), {"tenant": "x"})
    listed = admin_client.get(access)
    removed = admin_client.delete(url("api-flavor-access-detail", private.cloud, "p", "proj-a"))

    assert added.json() == {"flavor_access": [{"flavor_id": "p", "tenant_id": "proj-a"}]}
    assert (duplicate.status_code, on_public.status_code) == (409, 409)
    assert listed.status_code == 200
    assert removed.json() == {"flavor_access": []}
    assert admin_client.get(url("api-flavor-access", public.cloud, "pub")).status_code == 404


def test_members_see_public_enabled_flavors_only(member_client):
    cloud = CloudFactory()
    FlavorFactory(cloud=cloud, flavor_id="pub", name="public")
    FlavorFactory(cloud=cloud, flavor_id="priv", name="private", is_public=False)
    FlavorFactory(cloud=cloud, flavor_id="off", name="off", disabled=True)

    listed = member_client.get(url("api-flavor-list", cloud))

    assert [f["id"] for f in listed.json()["results"]] == ["pub"]
    assert member_client.get(url("api-flavor-detail", cloud, "priv")).status_code == 404
    assert (
        member_client.post(
            url("api-flavor-list", cloud), {"name": "x", "vcpus": 1, "ram": 1}
        ).status_code
        == 403
    )


ADMIN_ONLY = [
    ("get", "api-host-list", ()),
    ("post", "api-host-list", ()),
    ("get", "api-host-detail", ("devstack",)),
    ("get", "api-aggregate-list", ()),
    ("post", "api-aggregate-list", ()),
    ("get", "api-aggregate-detail", ("AGG",)),
    ("put", "api-aggregate-detail", ("AGG",)),
    ("patch", "api-aggregate-detail", ("AGG",)),
    ("delete", "api-aggregate-detail", ("AGG",)),
    ("post", "api-aggregate-action", ("AGG",)),
    ("get", "api-server-list", ()),
    ("get", "api-flavor-access", ("100",)),
    ("post", "api-flavor-extra-specs", ("100",)),
    ("post", "api-cloud-list", None),
]


@pytest.mark.parametrize(("method", "name", "args"), ADMIN_ONLY)
def test_members_get_403_on_aggregates_hosts_and_writes(member_client, method, name, args):
    host = HostFactory(name="devstack")
    aggregate = AggregateFactory(cloud=host.cloud, hosts=[host])
    FlavorFactory(cloud=host.cloud, flavor_id="100")
    if args is None:
        path = reverse(name)
    else:
        path = url(name, host.cloud, *[aggregate.pk if a == "AGG" else a for a in args])

    response = getattr(member_client, method)(path, {}, content_type="application/json")

    assert response.status_code == 403
    assert Aggregate.objects.get().hosts.count() == 1


@pytest.mark.parametrize("role_client", ["admin", "lead", "board", "member"], indirect=True)
def test_every_signed_in_user_sees_zones(role_client):
    host = HostFactory()
    AggregateFactory(cloud=host.cloud, availability_zone="az1", hosts=[host])
    response = role_client.get(url("api-zone-list", host.cloud))
    assert response.status_code == 200
    assert [z["zoneName"] for z in response.json()["availabilityZoneInfo"]] == ["az1"]


def test_anonymous_gets_401_on_zones_and_aggregates(anon_client):
    cloud = CloudFactory()
    assert anon_client.get(url("api-zone-list", cloud)).status_code == 401
    assert anon_client.get(url("api-aggregate-list", cloud)).status_code == 401


def test_zone_availability_follows_enabled_hosts(admin_client):
    cloud = CloudFactory()
    off = HostFactory(cloud=cloud, status="disabled")
    HostFactory(cloud=cloud)
    AggregateFactory(cloud=cloud, availability_zone="dark", hosts=[off])
    AggregateFactory(cloud=cloud, availability_zone="empty")
    hidden = HostFactory(cloud=cloud)
    AggregateFactory(cloud=cloud, availability_zone="internal", hosts=[hidden])

    zones = admin_client.get(url("api-zone-list", cloud)).json()["availabilityZoneInfo"]

    assert [(z["zoneName"], z["zoneState"]["available"]) for z in zones] == [
        ("dark", False),
        ("nova", True),
    ]


def test_host_create_and_list_filters(admin_client):
    cloud = CloudFactory()
    bad = admin_client.post(
        url("api-host-list", cloud), {"name": "h", "vcpus": 0, "memory_mb": 1, "local_gb": 1}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "vcpus"
    a = HostFactory(cloud=cloud, name="alpha")
    HostFactory(cloud=cloud, name="beta", status="disabled")
    AggregateFactory(cloud=cloud, availability_zone="az1", hosts=[a])

    in_az1 = admin_client.get(url("api-host-list", cloud), {"zone": "az1"}).json()
    in_nova = admin_client.get(url("api-host-list", cloud), {"zone": "nova"}).json()
    disabled = admin_client.get(url("api-host-list", cloud), {"status": "disabled"}).json()

    assert [h["name"] for h in in_az1["results"]] == ["alpha"]
    assert in_az1["results"][0]["availability_zone"] == "az1"
    assert [h["name"] for h in in_nova["results"]] == ["beta"]
    assert [h["name"] for h in disabled["results"]] == ["beta"]


@pytest.mark.parametrize("rows", [10, 1000])
@pytest.mark.parametrize(
    "name", ["api-host-list", "api-aggregate-list", "api-flavor-list", "api-server-list"]
)
def test_api_lists_run_the_same_queries_for_10_and_1000_rows(
    admin_client, django_assert_max_num_queries, rows, name
):
    cloud = CloudFactory()
    fill_cloud(cloud, rows)
    with django_assert_max_num_queries(8):
        response = admin_client.get(url(name, cloud), {"page_size": 500})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(rows, 500) or name == "api-server-list"


@pytest.mark.parametrize("zone", ["a:b", " padded", "x" * 256])
def test_set_metadata_refuses_the_zone_names_put_refuses(admin_client, zone):
    # One rule for a zone name, whichever call sets it (set_metadata took "a:b", a zone no
    # server could ever ask for: Nova reads "a:b" as zone a, host b).
    aggregate = AggregateFactory(metadata={"ssd": "true"})

    set_zone = action(
        admin_client, aggregate, {"set_metadata": {"metadata": {"availability_zone": zone}}}
    )
    put = admin_client.put(
        url("api-aggregate-detail", aggregate.cloud, aggregate.pk),
        {"availability_zone": zone},
        content_type="application/json",
    )

    assert (set_zone.status_code, put.status_code) == (400, 400)
    assert set_zone.json()["errors"][0]["field"] == "metadata.availability_zone"
    aggregate.refresh_from_db()
    assert aggregate.metadata == {"ssd": "true"}
