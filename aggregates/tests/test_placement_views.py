"""Placement preview and scheduler pages: the CLI tour, htmx partial, what-if and apply, roles."""

import json
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import reverse

from aggregates.demo import tour as demo
from aggregates.models import Aggregate, Cloud
from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory, HostFactory
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(admin_user) -> Cloud:
    demo._seed_devstack(admin_user)
    return Cloud.objects.get(slug="devstack")


def map_data(html: str) -> dict:
    """The host map's compact array, as the page embeds it for its canvas."""
    start = html.index('<script id="host-map-data" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def page_url(cloud, **params) -> str:
    return f"{reverse('aggregates:placement_preview', args=[cloud.slug])}?{urlencode(params)}"


def test_page_explains_devstack_rejected_by_extra_specs(admin_client, tour):
    response = admin_client.get(page_url(tour, flavor="100", az="test-az", host="devstack"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "devstack" in map_data(html)["names"]
    assert "AggregateInstanceExtraSpecsFilter" in html
    assert "coolhardware" in html
    assert "<html" in html


def test_without_a_flavor_the_smallest_is_previewed_and_choices_go_by_size(admin_client):
    cloud = CloudFactory()
    HostFactory(cloud=cloud)
    FlavorFactory(cloud=cloud, flavor_id="a-big", name="a-big", vcpus=8, ram=65536)
    FlavorFactory(cloud=cloud, flavor_id="z-small", name="z-small", vcpus=1, ram=512)
    FlavorFactory(cloud=cloud, flavor_id="m-mid", name="m-mid", vcpus=2, ram=4096)

    html = admin_client.get(page_url(cloud)).content.decode()

    assert html.index("z-small (z-small)") < html.index("m-mid (m-mid)") < html.index("a-big")
    assert 'value="z-small" selected' in html
    assert "would be considered for <strong>z-small</strong>" in html


def test_htmx_request_gets_the_partial(admin_client, tour):
    response = admin_client.get(
        page_url(tour, flavor="100", az="test-az"), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert 'data-testid="host-map"' in response.content.decode()


def test_unknown_zone_shows_novas_refused_boot_and_the_prefilter_apart(admin_client, tour):
    response = admin_client.get(page_url(tour, flavor="100", az="nowhere"))

    assert response.status_code == 200  # a valid question; Nova's answer is a refusal
    page = response.content.decode()
    check = page.split('data-testid="zone-api-check">', 1)[1].split("</li>", 1)[0]
    assert "400: The requested availability zone is not available" in check
    assert 'data-testid="zone-prefilter"' in page
    assert 'data-testid="boot-refused"' in page
    assert 'data-testid="best-host"' not in page


def test_adding_a_change_keeps_it_pending_and_shows_the_host_gained(admin_client, tour):
    response = admin_client.get(
        page_url(
            tour,
            flavor="100",
            az="test-az",
            action="add_host",
            aggregate="test-aggregate1",
            host="devstack",
        )
    )
    assert response.status_code == 302

    page = admin_client.get(response["Location"])

    assert 'data-testid="hosts-gained">devstack<' in page.content.decode()
    assert not Aggregate.objects.get(name="test-aggregate1").hosts.exists()


def test_apply_button_commits_the_change_set(admin_client, tour):
    changes = [{"action": "add_host", "aggregate": "test-aggregate1", "host": "devstack"}]
    entries = AuditEntry.objects.count()

    response = admin_client.post(
        reverse("aggregates:placement_preview_apply", args=[tour.slug]),
        {"flavor": "100", "az": "test-az", "changes": json.dumps(changes)},
    )

    assert response.status_code == 302
    assert "changes" not in response["Location"] or "changes=&" in response["Location"]
    assert Aggregate.objects.get(name="test-aggregate1").hosts.filter(name="devstack").exists()
    assert AuditEntry.objects.count() == entries + 1


def test_members_cannot_open_the_preview(member_client, tour):
    assert member_client.get(page_url(tour, flavor="100")).status_code == 403
    scheduler = reverse("aggregates:cloud_scheduler", args=[tour.slug])
    assert member_client.get(scheduler).status_code == 403


def test_cloud_page_links_to_the_preview(admin_client, tour):
    response = admin_client.get(reverse("aggregates:cloud_detail", args=[tour.slug]))

    assert reverse("aggregates:placement_preview", args=[tour.slug]) in response.content.decode()


def test_scheduler_form_saves_nova_options(admin_client, tour):
    url = reverse("aggregates:cloud_scheduler", args=[tour.slug])

    response = admin_client.post(
        url, {"options": "enabled_filters = ComputeFilter, AggregateMultiTenancyIsolation\n"}
    )

    assert response.status_code == 302
    tour.refresh_from_db()
    assert tour.scheduler_config == {
        "enabled_filters": ["ComputeFilter", "AggregateMultiTenancyIsolation"]
    }


def test_scheduler_form_refuses_an_unknown_option_naming_it(admin_client, tour):
    url = reverse("aggregates:cloud_scheduler", args=[tour.slug])

    response = admin_client.post(url, {"options": "ram_weight_multipler = 2"})

    assert response.status_code == 422
    assert "ram_weight_multipler" in response.content.decode()


@pytest.mark.parametrize("hosts", [3, 60])
def test_page_queries_do_not_grow_with_hosts(admin_client, hosts, django_assert_max_num_queries):
    cloud = CloudFactory(slug="qp")
    made = HostFactory.create_batch(hosts, cloud=cloud)
    AggregateFactory(cloud=cloud, availability_zone="az-1", hosts=made[: hosts // 2])
    FlavorFactory(cloud=cloud, flavor_id="1")

    with django_assert_max_num_queries(14):
        response = admin_client.get(page_url(cloud, flavor="1", az="az-1"))

    assert response.status_code == 200
    assert len(map_data(response.content.decode())["names"]) == hosts


def test_map_folds_the_zones_a_requested_zone_excludes(admin_client):
    cloud = CloudFactory(slug="fold")
    made = HostFactory.create_batch(6, cloud=cloud)
    AggregateFactory(cloud=cloud, availability_zone="az-1", hosts=made[:2])
    AggregateFactory(cloud=cloud, availability_zone="az-2", hosts=made[2:4])
    FlavorFactory(cloud=cloud, flavor_id="1")

    html = admin_client.get(page_url(cloud, flavor="1", az="az-1")).content.decode()

    assert '<details class="map-zone" data-zone="az-1" open>' in html
    assert '<details class="map-zone" data-zone="az-2">' in html  # folded, still drawn
    assert '<details class="map-zone" data-zone="nova">' in html
    assert "4 hosts, all outside the requested zone" not in html
    assert html.count("all outside the requested zone") == 2
    data = map_data(html)
    assert len(data["names"]) == len(data["verdicts"]) == 6
    assert data["zones"] == ["az-1", "az-2", "nova"]
    assert [group[0] for group in data["groups"]] == [0, 1, 2]

    everywhere = admin_client.get(page_url(cloud, flavor="1")).content.decode()
    assert everywhere.count('class="map-zone"') == everywhere.count(" open>") == 3


def three_host_page(client, slug: str, scheduler_config: dict) -> str:
    """The preview page of a fresh three-host cloud with this scheduler configuration."""
    cloud = CloudFactory(slug=slug, scheduler_config=scheduler_config)
    HostFactory.create_batch(3, cloud=cloud)
    FlavorFactory(cloud=cloud, flavor_id="1")
    return client.get(page_url(cloud, flavor="1")).content.decode()


def test_when_placement_caps_the_candidates_the_pick_is_qualified(admin_client):
    html = three_host_page(admin_client, "cap", {"max_placement_results": 2})

    assert 'data-testid="cap-warning"' in html
    assert "1 host(s) that fit may never be seen" in html
    assert "if Placement returns it among its 2 candidates" in html


def test_a_refused_what_if_change_is_marked_on_its_line(admin_client, tour):
    changes = [{"action": "remove_host", "aggregate": "test-aggregate1", "host": "devstack"}]

    response = admin_client.get(page_url(tour, flavor="100", changes=json.dumps(changes)))

    page = response.content.decode()
    line = page.split('data-testid="change-refused">', 1)[1].split("</li>", 1)[0]
    aggregate1 = Aggregate.objects.get(name="test-aggregate1")
    assert f"(404): Cannot remove host devstack in aggregate {aggregate1.pk}" in line


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"action": "update_flavor", "size": "4,4096,40"}, "cannot be resized"),
        ({"action": "create_flavor", "name": "m1.big", "size": "4,lots"}, "lots&#x27; is not"),
        ({"action": "create_flavor", "name": "m1.big", "size": "4"}, "two or three numbers"),
        ({"action": "create_flavor", "name": "m1.big", "size": "4,0,1"}, "ram must be"),
        ({"action": "create_flavor", "size": "4,4096"}, "name is required"),
    ],
)
def test_a_bad_change_is_an_error_on_the_change_line_and_joins_nothing(
    admin_client, tour, change, message
):
    response = admin_client.get(page_url(tour, flavor="100", **change))

    assert response.status_code == 422
    page = response.content.decode()
    line = page.split('data-testid="change-error">', 1)[1].split("</div>", 1)[0]
    assert message in line
    assert "No pending changes" in page


def test_a_new_flavor_change_previews_that_flavor(admin_client, tour):
    response = admin_client.get(
        page_url(tour, flavor="100", action="create_flavor", name="m1.cool.4g", size="2,4096,20")
    )
    assert response.status_code == 302
    assert "flavor=m1.cool.4g" in response["Location"]

    page = admin_client.get(response["Location"]).content.decode()

    assert "would be considered for <strong>m1.cool.4g</strong>" in page
    assert 'value="m1.cool.4g" selected' in page


def remove_url(cloud) -> str:
    return reverse("aggregates:placement_preview_remove_change", args=[cloud.slug])


TWO_CHANGES = [
    {"action": "add_host", "aggregate": "test-aggregate1", "host": "devstack"},
    {"action": "set_metadata", "aggregate": "test-aggregate1", "metadata": {"ssd": "true"}},
]


def test_pending_changes_are_listed_in_words_each_with_a_remove_button(admin_client, tour):
    aggregate1 = Aggregate.objects.get(name="test-aggregate1")
    changes = [{**TWO_CHANGES[0], "aggregate": aggregate1.pk}, TWO_CHANGES[1]]

    page = admin_client.get(page_url(tour, flavor="100", changes=json.dumps(changes)))

    html = page.content.decode()
    assert '<span class="change-words">add host devstack to test-aggregate1</span>' in html
    assert '<span class="change-words">set ssd=true on test-aggregate1</span>' in html
    assert html.count(f'action="{remove_url(tour)}"') == 2
    assert "&#x27;action&#x27;" not in html


def test_removing_a_change_keeps_the_others_and_the_inputs(admin_client, tour):
    body = {"flavor": "100", "az": "test-az", "changes": json.dumps(TWO_CHANGES), "position": 0}

    response = admin_client.post(remove_url(tour), body)
    htmx = admin_client.post(remove_url(tour), body, headers={"HX-Request": "true"})

    assert response.status_code == 302
    assert htmx["HX-Redirect"] == response["Location"]
    params = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert json.loads(params["changes"]) == TWO_CHANGES[1:]
    assert (params["flavor"], params["az"]) == ("100", "test-az")


def test_removing_the_change_that_creates_the_previewed_flavor_drops_that_flavor(
    admin_client, tour
):
    new = {"action": "create_flavor", "name": "m1.cool.4g", "vcpus": 2, "ram": 4096}
    body = {"flavor": "m1.cool.4g", "changes": json.dumps([new]), "position": 0}

    response = admin_client.post(remove_url(tour), body)

    params = dict(parse_qsl(urlsplit(response["Location"]).query, keep_blank_values=True))
    assert "flavor" not in params and params["changes"] == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"changes": json.dumps(TWO_CHANGES), "position": 2}, "position"),
        ({"changes": json.dumps(TWO_CHANGES), "position": "first"}, "position"),
        ({"changes": "[", "position": 0}, "changes"),
        ({"changes": json.dumps({"action": "add_host"}), "position": 0}, "changes"),
    ],
)
def test_a_bad_removal_is_a_400_naming_the_field(admin_client, tour, body, field):
    response = admin_client.post(remove_url(tour), body)

    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}: ")


def test_a_malformed_change_in_the_set_is_an_error_on_its_line(admin_client, tour):
    changes = [TWO_CHANGES[0], {"action": "create_flavor", "name": "x", "vcpus": 1, "ram": "lots"}]

    html = admin_client.get(page_url(tour, flavor="100", changes=json.dumps(changes))).content

    line = html.decode().split('data-testid="change-line-error">', 1)[1].split("</strong>")[0]
    assert "changes[1].ram must be a whole number" in line


def test_map_groups_are_named_by_the_aggregates_each_host_is_in(admin_client, tour):
    data = map_data(admin_client.get(page_url(tour, flavor="100")).content.decode())

    labels = [group[1] for group in data["groups"]]
    assert "no aggregate" not in " ".join(labels).replace("in no aggregate", "")
    assert all(label and "(" not in label for label in labels)
    devstack = data["names"].index("devstack")
    first = 0
    for _, label, count in data["groups"]:
        if first <= devstack < first + count:
            assert "test-aggregate" in label
        first += count


def test_host_fragment_explains_one_host_every_step(admin_client, tour):
    url = reverse("aggregates:placement_preview_host", args=[tour.slug])

    response = admin_client.get(url, {"flavor": "100", "az": "test-az", "host": "devstack"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="host-detail"' in html
    assert "AggregateInstanceExtraSpecsFilter" in html
    assert "coolhardware" in html


def test_host_fragment_names_a_missing_host_and_a_missing_name(admin_client, tour):
    url = reverse("aggregates:placement_preview_host", args=[tour.slug])

    missing = admin_client.get(url, {"flavor": "100", "host": "nope<b>"})
    unnamed = admin_client.get(url, {"flavor": "100"})

    assert missing.status_code == 200
    assert "No host called nope&lt;b&gt; in this cloud." in missing.content.decode()
    assert unnamed.status_code == 400
    assert unnamed.content.decode().startswith("host:")


def test_when_nothing_passes_the_summary_says_no_valid_host_was_found(admin_client):
    cloud = CloudFactory(slug="full")
    HostFactory.create_batch(2, cloud=cloud, vcpus=1)
    FlavorFactory(cloud=cloud, flavor_id="1", vcpus=64)

    html = admin_client.get(page_url(cloud, flavor="1")).content.decode()

    assert 'data-testid="no-valid-host"' in html
    assert "No valid host was found." in html
    assert 'data-testid="best-host"' not in html


def test_with_a_host_subset_the_summary_says_nova_picks_one_of_them(admin_client):
    html = three_host_page(admin_client, "subset", {"host_subset_size": 2})

    assert "Nova picks one of <strong" in html
    assert "host_subset_size = 2" in html
    assert "No valid host was found" not in html


def test_page_size_grows_about_20_bytes_a_host_so_10000_hosts_stay_under_300_kb(admin_client):
    from aggregates.management.commands.bench_placement import Command

    sizes = {}
    for hosts in (200, 1200):
        cloud = Command()._bench_cloud(hosts)  # the bench's cloud: its names, zones and racks
        response = admin_client.get(page_url(cloud, flavor="3", az="az-2"))
        assert response.status_code == 200
        assert len(map_data(response.content.decode())["names"]) == hosts
        sizes[hosts] = len(response.content)
    per_host = (sizes[1200] - sizes[200]) / 1000
    at_10000 = sizes[200] + per_host * (10000 - 200)

    assert per_host < 25
    assert at_10000 < 300_000


@pytest.mark.parametrize("hosts", [3, 60])
def test_host_fragment_queries_do_not_grow_with_hosts(
    admin_client, hosts, django_assert_max_num_queries
):
    cloud = CloudFactory(slug="qh")
    made = HostFactory.create_batch(hosts, cloud=cloud)
    AggregateFactory(cloud=cloud, availability_zone="az-1", hosts=made[: hosts // 2])
    FlavorFactory(cloud=cloud, flavor_id="1")
    url = reverse("aggregates:placement_preview_host", args=[cloud.slug])

    with django_assert_max_num_queries(14):
        response = admin_client.get(url, {"flavor": "1", "az": "az-1", "host": made[-1].name})

    assert response.status_code == 200
    assert made[-1].name in response.content.decode()


def overlapping_cloud() -> Cloud:
    """Hosts in zero, one and two aggregates, in two zones and the default one."""
    cloud = CloudFactory(slug="overlap")
    made = {name: HostFactory(cloud=cloud, name=name) for name in "abcdefgh"}
    AggregateFactory(cloud=cloud, name="rack-2", hosts=[made[n] for n in "bdf"])
    AggregateFactory(cloud=cloud, name="az-east", availability_zone="east", hosts=[made["f"]])
    AggregateFactory(cloud=cloud, name="gpu", hosts=[made[n] for n in "adeh"])
    AggregateFactory(cloud=cloud, name="az-west", availability_zone="west", hosts=[made["g"]])
    FlavorFactory(cloud=cloud, flavor_id="1")
    FlavorFactory(cloud=cloud, flavor_id="2", vcpus=2)
    return cloud


def test_map_groups_hosts_by_zone_then_by_their_aggregates(admin_client):
    cloud = overlapping_cloud()

    data = map_data(admin_client.get(page_url(cloud, flavor="1")).content.decode())

    # Worked out by hand: zones by name, then the aggregates' names joined, hosts by name.
    assert data["zones"] == ["east", "nova", "west"]
    assert data["groups"] == [
        [0, "az-east, rack-2", 1],
        [1, "gpu", 3],
        [1, "gpu, rack-2", 1],
        [1, "in no aggregate", 1],
        [1, "rack-2", 1],
        [2, "az-west", 1],
    ]
    assert data["names"] == ["f", "a", "e", "h", "d", "c", "b", "g"]
    assert data["verdicts"][0] == "P" and len(data["verdicts"]) == 8


def test_map_layout_is_made_once_per_cloud_version(admin_client, admin_user, monkeypatch):
    from aggregates import services
    from aggregates.preview import host_layout

    cloud = overlapping_cloud()
    made = []
    layout = host_layout._layout
    monkeypatch.setattr(host_layout, "_layout", lambda *args: made.append(args) or layout(*args))

    for flavor, az in (("1", ""), ("2", ""), ("1", "east")):
        assert admin_client.get(page_url(cloud, flavor=flavor, az=az)).status_code == 200
    assert len(made) == 1

    gpu = Aggregate.objects.get(cloud=cloud, name="gpu")
    services.add_host_to_aggregate(gpu, "c", actor=admin_user)
    data = map_data(admin_client.get(page_url(cloud, flavor="1")).content.decode())
    assert len(made) == 2
    assert [1, "gpu", 4] in data["groups"]
