"""Pages: roles, the htmx editors and their refusals (422 next to the field), constant queries."""

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.models import Aggregate, Cloud, Flavor, Host
from aggregates.tests.factories import (
    AggregateFactory,
    CloudFactory,
    FlavorFactory,
    HostFactory,
    ServerFactory,
    fill_cloud,
)
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def page(name: str, cloud, *args) -> str:
    return reverse(f"aggregates:{name}", args=[cloud.slug, *args])


@pytest.fixture
def tour():
    """The state after the CLI tour, built directly (the services are tested elsewhere)."""
    cloud = CloudFactory(slug="tour", name="Tour")
    devstack = HostFactory(cloud=cloud, name="devstack")
    HostFactory(cloud=cloud, name="compute-2", vcpus=4, memory_mb=8192, local_gb=100)
    agg1 = AggregateFactory(cloud=cloud, name="test-aggregate1", metadata={"coolhardware": "true"})
    agg2 = AggregateFactory(
        cloud=cloud, name="test-aggregate2", availability_zone="test-az", hosts=[devstack]
    )
    flavor = FlavorFactory(
        cloud=cloud, flavor_id="100", name="m1.coolhardware", extra_specs={"coolhardware": "true"}
    )
    return {"cloud": cloud, "agg1": agg1, "agg2": agg2, "flavor": flavor}


ADMIN_PAGES = [
    ("host_list", ()),
    ("host_create", ()),
    ("host_names", ()),
    ("host_detail", ("devstack",)),
    ("aggregate_list", ()),
    ("aggregate_create", ()),
    ("aggregate_detail", ("AGG",)),
]
ADMIN_POSTS = [
    ("aggregate_update", ("AGG",), {"name": "x"}),
    ("aggregate_set_metadata", ("AGG",), {"key": "k", "value": "v"}),
    ("aggregate_add_host", ("AGG",), {"host": "compute-2"}),
    ("aggregate_remove_host", ("AGG",), {"host": "devstack"}),
    ("aggregate_delete", ("AGG",), {}),
    ("host_create", (), {"name": "h", "vcpus": 1, "memory_mb": 1, "local_gb": 1}),
    ("flavor_set_extra_spec", ("100",), {"key": "k", "value": "v"}),
    ("flavor_create", (), {"name": "x", "vcpus": 1, "ram": 1, "disk": 0}),
]


def _args(tour, args):
    return [tour["agg2"].pk if a == "AGG" else a for a in args]


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES)
@pytest.mark.parametrize("role_client", ["member", "lead", "board"], indirect=True)
def test_non_admins_get_403_on_host_and_aggregate_pages(role_client, tour, name, args):
    response = role_client.get(page(name, tour["cloud"], *_args(tour, args)))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "args", "data"), ADMIN_POSTS)
def test_members_cannot_write_through_pages(member_client, tour, name, args, data):
    response = member_client.post(page(name, tour["cloud"], *_args(tour, args)), data)
    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES)
def test_admins_open_every_host_and_aggregate_page(admin_client, tour, name, args):
    assert admin_client.get(page(name, tour["cloud"], *_args(tour, args))).status_code == 200


def test_anonymous_readers_are_sent_to_sign_in(anon_client, tour):
    response = anon_client.get(page("zone_list", tour["cloud"]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_members_see_zones_and_public_flavors_but_no_hosts(member_client, tour):
    FlavorFactory(cloud=tour["cloud"], flavor_id="secret", name="secret", is_public=False)

    zones = member_client.get(page("zone_list", tour["cloud"]))
    flavors = member_client.get(page("flavor_list", tour["cloud"]))
    overview = member_client.get(page("cloud_detail", tour["cloud"]))

    assert zones.status_code == 200
    assert b"test-az" in zones.content and b"devstack" not in zones.content
    assert b"test-aggregate2" not in zones.content
    assert flavors.status_code == 200 and b"m1.coolhardware" in flavors.content
    assert b"secret" not in flavors.content
    assert member_client.get(page("flavor_detail", tour["cloud"], "secret")).status_code == 404
    assert b"devstack" not in overview.content and b"Hosts table" not in overview.content


def test_admin_zone_page_lists_hosts_and_aggregates(admin_client, tour):
    response = admin_client.get(page("zone_list", tour["cloud"]))
    assert b"test-aggregate2" in response.content and b"devstack" in response.content


def test_conflicting_zone_add_through_the_page_is_422_naming_host_and_zones(admin_client, tour):
    other = AggregateFactory(
        cloud=tour["cloud"], name="test-aggregate3", availability_zone="other-az"
    )

    response = admin_client.post(
        page("aggregate_add_host", tour["cloud"], other.pk), {"host": "devstack"}, headers=HTMX
    )

    assert response.status_code == 422
    assert "One or more hosts already in availability zone(s) [&#x27;test-az&#x27;]" in (
        response.content.decode()
    )
    assert b"devstack" in response.content
    assert response.templates[0].name == "aggregates/partials/_aggregate_hosts.html"
    assert not other.hosts.exists()


def test_add_host_with_htmx_returns_the_fragment_and_without_redirects(admin_client, tour):
    url = page("aggregate_add_host", tour["cloud"], tour["agg1"].pk)

    fragment = admin_client.post(url, {"host": "devstack"}, headers=HTMX)
    full = admin_client.post(
        page("aggregate_add_host", tour["cloud"], tour["agg1"].pk), {"host": "compute-2"}
    )

    assert fragment.status_code == 200
    assert fragment.templates[0].name == "aggregates/partials/_aggregate_hosts.html"
    assert "aggregateChanged" in fragment["HX-Trigger"]
    assert full.status_code == 302
    assert sorted(tour["agg1"].hosts.values_list("name", flat=True)) == ["compute-2", "devstack"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "bad/key", "value": "x"}, "Invalid key"),
        ({"key": "", "value": "x"}, "This field is required"),
        ({"key": "k", "value": "x" * 256}, "longer than 255"),
        ({"key": "availability_zone", "delete": "on"}, "empty named availability zone"),
        ({"key": "availability_zone", "value": "elsewhere"}, None),  # allowed: no other zone
    ],
)
def test_metadata_editor_refusals(admin_client, tour, data, message):
    aggregate = tour["agg2"]
    response = admin_client.post(
        page("aggregate_set_metadata", tour["cloud"], aggregate.pk), data, headers=HTMX
    )
    aggregate.refresh_from_db()
    if message is None:
        assert response.status_code == 200 and aggregate.availability_zone == "elsewhere"
        return
    assert response.status_code == 422
    assert message in response.content.decode()
    assert aggregate.metadata == {"availability_zone": "test-az"}


def test_metadata_editor_sets_and_deletes(admin_client, tour):
    url = page("aggregate_set_metadata", tour["cloud"], tour["agg1"].pk)
    admin_client.post(url, {"key": "ssd", "value": "true"}, headers=HTMX)
    admin_client.post(url, {"key": "coolhardware", "delete": "on"}, headers=HTMX)
    tour["agg1"].refresh_from_db()
    assert tour["agg1"].metadata == {"ssd": "true"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"name": " padded"}, "name", "Can not start or end with whitespace"),
        ({"name": "test-aggregate1"}, "name", "Aggregate test-aggregate1 already exists."),
        ({"name": "new", "availability_zone": "a:b"}, "availability_zone", "not allowed"),
        ({"name": "x" * 256}, "name", "longer than 255"),
    ],
)
def test_create_aggregate_form_refusals(admin_client, tour, data, field, message):
    response = admin_client.post(page("aggregate_create", tour["cloud"]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert Aggregate.objects.filter(cloud=tour["cloud"]).count() == 2


def test_create_aggregate_with_zone_redirects_to_it(admin_client, tour):
    response = admin_client.post(
        page("aggregate_create", tour["cloud"]), {"name": "az-agg", "availability_zone": "zone-9"}
    )
    created = Aggregate.objects.get(name="az-agg")
    assert response.status_code == 302 and created.availability_zone == "zone-9"


def test_rename_keeps_zone_and_blank_zone_is_refused(admin_client, tour):
    url = page("aggregate_update", tour["cloud"], tour["agg2"].pk)
    renamed = admin_client.post(
        url, {"name": "renamed", "availability_zone": "test-az"}, headers=HTMX
    )
    blank = admin_client.post(url, {"name": "renamed", "availability_zone": ""}, headers=HTMX)
    tour["agg2"].refresh_from_db()
    assert renamed.status_code == 200 and blank.status_code == 422
    assert "does not support empty named availability zone" in blank.content.decode()
    assert (tour["agg2"].name, tour["agg2"].availability_zone) == ("renamed", "test-az")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "hw:bogus", "value": "1"}, "does not appear to be a valid extra spec"),
        ({"key": "coolhardware", "value": "&gt;= lots"}, None),  # plain string: not an operator
        ({"key": "aggregate_instance_extra_specs:n", "value": ">= lots"}, None),  # as Nova
        ({"key": "coolhardware", "value": "<or> a b"}, None),
        ({"key": "bad key!", "value": "x"}, "Invalid key"),
    ],
)
def test_extra_spec_editor_validates_keys_and_operators(admin_client, tour, data, message):
    flavor = tour["flavor"]
    response = admin_client.post(
        page("flavor_set_extra_spec", tour["cloud"], "100"), data, headers=HTMX
    )
    flavor.refresh_from_db()
    if message is None:
        assert response.status_code == 200 and flavor.extra_specs[data["key"]] == data["value"]
        if data["value"].startswith("<or>"):  # stored, as Nova does, and named by the lint
            assert "every second word" in response.content.decode()
        return
    assert response.status_code == 422 and message in response.content.decode()
    assert flavor.extra_specs == {"coolhardware": "true"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"flavor_id": "100", "name": "x", "vcpus": 1, "ram": 1, "disk": 0}, "flavor_id"),
        ({"flavor_id": "", "name": "m1.coolhardware", "vcpus": 1, "ram": 1, "disk": 0}, "name"),
        ({"flavor_id": "bad/id", "name": "x", "vcpus": 1, "ram": 1, "disk": 0}, "flavor_id"),
        ({"flavor_id": "", "name": "x", "vcpus": 0, "ram": 1, "disk": 0}, "vcpus"),
        ({"flavor_id": "", "name": "x", "vcpus": 1, "ram": "", "disk": 0}, "ram"),
    ],
)
def test_create_flavor_form_refusals(admin_client, tour, data, field):
    response = admin_client.post(page("flavor_create", tour["cloud"]), {"rxtx_factor": 1, **data})
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert Flavor.objects.filter(cloud=tour["cloud"]).count() == 1


def test_flavor_access_editor(admin_client, tour):
    private = FlavorFactory(cloud=tour["cloud"], flavor_id="p", is_public=False)
    add = admin_client.post(
        page("flavor_add_access", tour["cloud"], "p"), {"tenant": "proj"}, headers=HTMX
    )
    again = admin_client.post(
        page("flavor_add_access", tour["cloud"], "p"), {"tenant": "proj"}, headers=HTMX
    )
    private.refresh_from_db()
    assert add.status_code == 200 and again.status_code == 422
    assert "already exists" in again.content.decode()
    assert private.access_project_ids == ["proj"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slug": "tour", "name": "Again", "kind": "local"}, "slug"),
        ({"slug": "prod", "name": "Prod", "kind": "connected", "os_cloud": ""}, "os_cloud"),
        ({"slug": "bad slug", "name": "x", "kind": "local"}, "slug"),
        (
            {"slug": "x", "name": "x", "kind": "local", "default_availability_zone": "a:b"},
            "default_availability_zone",
        ),
    ],
)
def test_cloud_form_refusals(admin_client, tour, data, field):
    response = admin_client.post(
        reverse("aggregates:cloud_create"), {"default_availability_zone": "nova", **data}
    )
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert Cloud.objects.count() == 1


@pytest.mark.parametrize("slug", ["tour", "Tour"])
def test_the_cloud_form_refuses_a_slug_that_differs_only_in_case(admin_client, tour, slug):
    response = admin_client.post(
        reverse("aggregates:cloud_create"),
        {"slug": slug, "name": "Twin", "kind": "local", "default_availability_zone": "nova"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["slug"] == ["Cloud tour already exists."]
    assert Cloud.objects.count() == 1


def test_connected_cloud_form_and_detail(admin_client):
    response = admin_client.post(
        reverse("aggregates:cloud_create"),
        {
            "slug": "prod",
            "name": "Prod",
            "kind": "connected",
            "os_cloud": "prod-east",
            "default_availability_zone": "nova",
        },
    )
    cloud = Cloud.objects.get(slug="prod")
    assert response.status_code == 302 and cloud.is_connected and cloud.os_cloud == "prod-east"
    assert b"prod-east" in admin_client.get(page("cloud_detail", cloud)).content


def test_cloud_overview_is_cached_until_a_host_changes(admin_client, admin_user, tour):
    url = page("cloud_detail", tour["cloud"])
    assert admin_client.get(url).context["totals"]["hosts"] == 2
    assert admin_client.get(url).context["totals"]["hosts"] == 2  # from the cache

    services.create_host(
        tour["cloud"], actor=admin_user, name="compute-3", vcpus=4, memory_mb=8192, local_gb=100
    )

    response = admin_client.get(url)
    assert response.context["totals"]["hosts"] == 3
    assert response.context["capacity"]["VCPU"]["capacity"] == (8 + 4 + 4) * 4  # ratio 4.0


def test_host_detail_shows_zone_capacity_and_instances(admin_client, tour):
    ServerFactory(host=Host.objects.get(name="devstack"), name="cool-1")
    response = admin_client.get(page("host_detail", tour["cloud"], "devstack"))
    assert response.context["zone"] == "test-az"
    assert b"cool-1" in response.content and b"15872" in response.content  # (16384−512)×1.0


def test_host_list_filters_and_partial(admin_client, tour):
    url = page("host_list", tour["cloud"])
    in_nova = admin_client.get(url, {"zone": "nova"}, headers=HTMX)
    searched = admin_client.get(url, {"q": "dev"})
    assert in_nova.templates[0].name == "aggregates/partials/_host_table.html"
    assert [h.name for h in in_nova.context["page"]] == ["compute-2"]
    assert [h.name for h in searched.context["page"]] == ["devstack"]
    assert searched.templates[0].name == "aggregates/host_list.html"


def test_type_ahead_lists_matching_hosts(admin_client, tour):
    response = admin_client.get(page("host_names", tour["cloud"]), {"host": "comp"})
    assert response.content.decode().strip() == '<option value="compute-2"></option>'


def test_overview_tile_counts_for_admins_only(admin_client, member_client, tour):
    admin_page = admin_client.get(reverse("dashboard:overview")).content.decode()
    member_page = member_client.get(reverse("dashboard:overview")).content.decode()
    assert "1 cloud · 2 hosts · 2 aggregates" in admin_page
    assert "segregation-tile" not in member_page


@pytest.mark.parametrize("rows", [10, 1000])
@pytest.mark.parametrize(
    "name", ["host_list", "aggregate_list", "flavor_list", "zone_list", "cloud_detail"]
)
def test_pages_run_the_same_queries_for_10_and_1000_rows(
    admin_client, django_assert_max_num_queries, rows, name
):
    cloud = CloudFactory()
    fill_cloud(cloud, rows)
    with django_assert_max_num_queries(12):
        response = admin_client.get(page(name, cloud), {"per_page": 500})
    assert response.status_code == 200
