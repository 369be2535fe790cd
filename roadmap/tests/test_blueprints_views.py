"""Blueprint pages: list with filters (htmx), detail graph, forms, permissions, query counts."""

import re

import pytest
from django.urls import reverse

from roadmap.models import Blueprint, Series
from roadmap.tests.factories import ProjectFactory, make_blueprint, milestone

pytestmark = pytest.mark.django_db
LIST = reverse("roadmap:blueprint_list")


@pytest.fixture
def nova(lead_user):
    return ProjectFactory(name="nova", leads=[lead_user])


def detail_url(bp):
    return reverse("roadmap:blueprint_detail", args=[bp.project.name, bp.name])


def edit_url(bp):
    return reverse("roadmap:blueprint_update", args=[bp.project.name, bp.name])


def test_list_filters_from_the_query_string(anon_client, nova):
    make_blueprint(nova, "pci-sriov", title="SR-IOV passthrough", tags=["nfv"])
    make_blueprint(nova, "scheduler-lib", title="Scheduler library")

    page = anon_client.get(f"{LIST}?tag=nfv&project=nova")

    assert page.status_code == 200
    text = page.content.decode()
    assert "SR-IOV passthrough" in text and "Scheduler library" not in text
    assert 'hx-push-url="true"' in text and 'id="blueprint-filters"' in text


def test_htmx_request_gets_only_the_table(anon_client, nova):
    make_blueprint(nova, "pci-sriov", title="SR-IOV passthrough", priority="High")
    make_blueprint(nova, "scheduler-lib", title="Scheduler library")

    partial = anon_client.get(f"{LIST}?priority=High", headers={"HX-Request": "true"})

    text = partial.content.decode()
    assert "<html" not in text and 'data-testid="blueprint-table"' in text
    assert "SR-IOV passthrough" in text and "Scheduler library" not in text
    assert partial["Vary"] and "HX-Request" in partial["Vary"]


@pytest.mark.parametrize("rows", [1, 80])
def test_list_page_queries_do_not_grow_with_rows(
    rows, anon_client, nova, django_assert_max_num_queries
):
    base = make_blueprint(nova, "base", tags=["nfv"])
    for n in range(rows):
        make_blueprint(
            nova, f"bp-{n:04d}", milestone=milestone("juno-2"), tags=["nfv"], dependencies=[base]
        )

    with django_assert_max_num_queries(9):
        response = anon_client.get(f"{LIST}?per_page=100")

    assert response.content.decode().count('data-testid="blueprint-row"') == rows + 1


def test_detail_shows_dependencies_both_ways(anon_client, nova):
    objects = make_blueprint(nova, "unified-object-model")
    manager = make_blueprint(nova, "compute-manager-objects", dependencies=[objects])
    upgrades = make_blueprint(nova, "live-upgrades", dependencies=[manager, objects])

    page = anon_client.get(detail_url(manager)).content.decode()
    depends_on, needed_by = page.split("<h3>Needed by</h3>")

    assert "nova/unified-object-model" in depends_on.split("<h3>Depends on</h3>")[1]
    assert "nova/live-upgrades" in needed_by.split("</section>")[0]
    deep = anon_client.get(detail_url(upgrades)).content.decode()
    # the graph goes deeper than one level: objects appears under compute-manager-objects too
    assert deep.count("nova/unified-object-model") >= 2


def test_detail_of_a_missing_blueprint_is_404(anon_client, nova):
    assert anon_client.get("/roadmap/projects/nova/blueprints/nope/").status_code == 404


def test_the_form_refuses_a_name_the_project_already_has_next_to_the_field(lead_client, nova):
    make_blueprint(nova, "taken")

    response = lead_client.post(
        reverse("roadmap:blueprint_create"),
        {
            "project": "nova",
            "name": "taken",
            "title": "Again",
            "priority": "Low",
            "definition_status": "New",
            "implementation_status": "Unknown",
        },
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "name": ["nova already has a blueprint called taken."]
    }
    assert Blueprint.objects.filter(project=nova).count() == 1


def test_lead_creates_a_blueprint_through_the_form(lead_client, nova):
    base = make_blueprint(nova, "base-work")

    response = lead_client.post(
        reverse("roadmap:blueprint_create"),
        {
            "project": "nova",
            "name": "new-work",
            "title": "New work",
            "priority": "High",
            "definition_status": "Approved",
            "implementation_status": "Started",
            "milestone": milestone("juno-3").pk,
            "tags": "nfv, scheduler",
            "dependencies": "base-work",
        },
    )

    assert response.status_code == 302
    bp = Blueprint.objects.get(name="new-work")
    assert response["Location"] == detail_url(bp)
    assert (bp.series.name, bp.lifecycle_status) == ("Juno", "Started")
    assert sorted(t.name for t in bp.tags.all()) == ["nfv", "scheduler"]
    assert list(bp.dependencies.all()) == [base]


def form_data(bp, **changes) -> dict:
    data = {
        "name": bp.name,
        "title": bp.title,
        "priority": bp.priority,
        "definition_status": bp.definition_status,
        "implementation_status": bp.implementation_status,
        "tags": "",
        "dependencies": "",
    }
    data.update(changes)
    return data


def test_form_refuses_a_dependency_cycle_with_422_naming_it(lead_client, nova):
    a = make_blueprint(nova, "a-objects")
    make_blueprint(nova, "b-conductor", dependencies=[a])

    response = lead_client.post(edit_url(a), form_data(a, dependencies="b-conductor"))

    assert response.status_code == 422
    assert (
        "These dependencies would make a cycle: nova/a-objects → nova/b-conductor → nova/a-objects."
        in response.content.decode()
    )
    assert not a.dependencies.exists()


def test_form_errors_name_the_field_with_422(lead_client, nova):
    bp = make_blueprint(nova, "kept")

    response = lead_client.post(
        edit_url(bp), form_data(bp, name="Not Valid", dependencies="missing-one")
    )

    assert response.status_code == 422
    text = response.content.decode()
    assert 'id="name-error"' in text and 'id="dependencies-error"' in text
    assert "No such blueprint: nova/missing-one." in text
    assert Blueprint.objects.get(pk=bp.pk).name == "kept"


def test_lead_edits_their_blueprint(lead_client, nova):
    bp = make_blueprint(nova, "kept")

    response = lead_client.post(
        edit_url(bp), form_data(bp, implementation_status="Implemented", tags="nfv")
    )

    assert response.status_code == 302
    bp.refresh_from_db()
    assert bp.lifecycle_status == "Complete"
    assert [t.name for t in bp.tags.all()] == ["nfv"]


@pytest.mark.parametrize("role_client", ["admin", "lead", "board", "member", "anon"], indirect=True)
def test_anyone_reads_roadmap_pages(role_client, nova):
    bp = make_blueprint(nova, "readable", milestone=milestone("juno-2"))
    for url in (
        reverse("roadmap:index"),
        LIST,
        detail_url(bp),
        reverse("roadmap:project_detail", args=["nova"]),
        reverse("roadmap:series_detail", args=["juno"]),
        reverse("roadmap:milestone_detail", args=["juno-2"]),
        reverse("roadmap:release_preview", args=["nova", "juno"]),
        reverse("roadmap:project_feed", args=["nova"]),
    ):
        assert role_client.get(url).status_code == 200, url


def test_anonymous_readers_are_sent_to_sign_in_to_edit(anon_client, nova):
    bp = make_blueprint(nova, "kept")
    assert anon_client.get(edit_url(bp)).status_code == 302
    assert anon_client.post(edit_url(bp), form_data(bp, title="x")).status_code == 302
    assert anon_client.get(reverse("roadmap:blueprint_create")).status_code == 302
    assert Blueprint.objects.get(pk=bp.pk).title == "Title of kept"


@pytest.mark.parametrize("role_client", ["member", "board"], indirect=True)
def test_members_cannot_edit(role_client, nova):
    bp = make_blueprint(nova, "kept")

    assert role_client.get(edit_url(bp)).status_code == 403
    assert role_client.post(edit_url(bp), form_data(bp, title="x")).status_code == 403
    assert (
        role_client.post(reverse("roadmap:blueprint_delete", args=["nova", "kept"])).status_code
        == 403
    )
    assert role_client.get(reverse("roadmap:blueprint_create")).status_code == 403
    assert Blueprint.objects.get(pk=bp.pk).title == "Title of kept"


def test_a_lead_edits_only_their_projects_blueprints(lead_client, nova):
    theirs = make_blueprint(ProjectFactory(name="neutron"), "their-work")

    edit = lead_client.post(edit_url(theirs), form_data(theirs, title="x"))
    delete = lead_client.post(reverse("roadmap:blueprint_delete", args=["neutron", "their-work"]))
    create = lead_client.post(
        reverse("roadmap:blueprint_create"),
        {
            "project": "neutron",
            "name": "sneaky",
            "title": "S",
            "priority": "Low",
            "definition_status": "New",
            "implementation_status": "Unknown",
        },
    )

    assert (edit.status_code, delete.status_code, create.status_code) == (403, 403, 422)
    assert "Select a valid choice" in create.content.decode()
    assert list(Blueprint.objects.values_list("name", "title")) == [
        ("their-work", "Title of their-work")
    ]
    page = lead_client.get(detail_url(theirs)).content.decode()
    assert edit_url(theirs) not in page
    assert (
        edit_url(make_blueprint(nova, "mine"))
        in lead_client.get(detail_url(Blueprint.objects.get(name="mine"))).content.decode()
    )


def test_lead_deletes_their_blueprint(lead_client, nova):
    make_blueprint(nova, "gone")
    response = lead_client.post(reverse("roadmap:blueprint_delete", args=["nova", "gone"]))
    assert response.status_code == 302
    assert not Blueprint.objects.exists()


def milestone_options(html: str) -> list[str]:
    field = html.split('id="milestone-field"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option value=\"\d*\"[^>]*>([^<]+)</option>", field)


def test_the_new_form_offers_no_milestone_until_a_series_goal_is_chosen(lead_client, nova):
    html = lead_client.get(reverse("roadmap:blueprint_create")).content.decode()

    assert milestone_options(html) == ["No milestone target"]
    assert "Choose a series goal to target one of its milestones." in html


def test_choosing_a_series_refreshes_the_milestones_with_its_own(lead_client, nova):
    url = reverse("roadmap:blueprint_create")
    kilo = Series.objects.get(name="Kilo")

    page = lead_client.get(url, {"series": kilo.pk})
    fragment = lead_client.get(url, {"series": kilo.pk}, headers={"HX-Request": "true"})

    expected = ["No milestone target", "kilo-1", "kilo-2", "kilo-3", "kilo-rc1", "kilo-final"]
    assert milestone_options(page.content.decode()) == expected
    assert milestone_options(fragment.content.decode()) == expected
    assert fragment.content.decode().startswith('<div id="milestone-field">')
    assert "HX-Request" in fragment["Vary"]
    assert f'hx-get="{url}"' in page.content.decode()


def test_the_edit_form_offers_the_milestones_of_the_blueprints_series(lead_client, nova):
    bp = make_blueprint(nova, "targeted", milestone=milestone("juno-2"))

    html = lead_client.get(edit_url(bp)).content.decode()

    assert milestone_options(html)[1:] == ["juno-1", "juno-2", "juno-3", "juno-rc1", "juno-final"]


def test_a_milestone_of_another_series_is_refused_naming_the_field(lead_client, nova):
    response = lead_client.post(
        reverse("roadmap:blueprint_create"),
        {
            "project": "nova",
            "name": "mismatched",
            "title": "Mismatched",
            "priority": "High",
            "definition_status": "Approved",
            "implementation_status": "Started",
            "series": Series.objects.get(name="Kilo").pk,
            "milestone": milestone("juno-3").pk,
        },
    )

    assert response.status_code == 422
    error = response.content.decode().split('id="milestone-error">', 1)[1].split("</small>")[0]
    assert "Choose a milestone of Kilo, the series goal" in error
    assert not Blueprint.objects.filter(name="mismatched").exists()
