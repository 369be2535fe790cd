"""/api/v1/projects|series|milestones|blueprints/: Launchpad's names, filters, CRUD, permissions."""

import pytest
from django.urls import reverse

from roadmap.models import Blueprint, BlueprintDependency, Milestone, Project
from roadmap.tests.factories import ProjectFactory, make_blueprint, milestone

pytestmark = pytest.mark.django_db
LIST = "/api/v1/blueprints/"


@pytest.fixture
def nova(lead_user):
    return ProjectFactory(name="nova", title="OpenStack Compute (nova)", leads=[lead_user])


def detail(bp: Blueprint) -> str:
    return reverse("api-blueprint-detail", args=[bp.pk])


def test_a_blueprint_reads_with_launchpads_names_and_strings(anon_client, nova):
    dep = make_blueprint(nova, "scheduler-lib", implementation_status="Implemented")
    other = make_blueprint(ProjectFactory(name="neutron"), "sriov-ports")
    bp = make_blueprint(
        nova,
        "isolate-scheduler-db",
        title="Isolate the scheduler DB",
        priority="High",
        definition_status="Pending Approval",
        implementation_status="Needs Code Review",
        assignee="sylvain-bauza",
        milestone=milestone("juno-3"),
        tags=["scheduler"],
        dependencies=[dep, other],
    )

    body = anon_client.get(detail(bp)).json()

    assert {k: body[k] for k in ("name", "priority", "definition_status")} == {
        "name": "isolate-scheduler-db",
        "priority": "High",
        "definition_status": "Pending Approval",
    }
    assert body["implementation_status"] == "Needs Code Review"
    assert body["lifecycle_status"] == "Started"
    assert (body["series"], body["milestone"], body["assignee"]) == (
        "juno",
        "juno-3",
        "sylvain-bauza",
    )
    assert body["tags"] == ["scheduler"]
    assert body["dependencies"] == ["neutron/sriov-ports", "scheduler-lib"]
    assert body["is_blocked"] is True  # neutron/sriov-ports is not complete
    for key in ("summary", "specification_url", "whiteboard", "drafter", "approver"):
        assert key in body
    assert body["date_started"] and body["date_created"] and body["date_completed"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("project=nova", ["a-nfv", "b-sched", "c-done"]),
        ("series=juno", ["a-nfv", "b-sched"]),
        ("series=Juno&milestone=juno-2", ["a-nfv"]),
        ("priority=High", ["b-sched"]),
        ("definition_status=Drafting", ["c-done"]),
        ("implementation_status=Implemented", ["c-done"]),
        ("assignee=bauza", ["b-sched"]),
        ("tag=nfv", ["a-nfv"]),
        ("q=placement", ["b-sched"]),
        ("project=neutron", ["d-neutron"]),
    ],
)
def test_blueprint_list_filters_like_the_list_page(anon_client, nova, query, expected):
    make_blueprint(nova, "a-nfv", milestone=milestone("juno-2"), tags=["nfv"])
    make_blueprint(
        nova,
        "b-sched",
        priority="High",
        series=milestone("juno-3").series,
        assignee="bauza",
        summary="Better placement.",
    )
    make_blueprint(
        nova, "c-done", definition_status="Drafting", implementation_status="Implemented"
    )
    make_blueprint(ProjectFactory(name="neutron"), "d-neutron")

    body = anon_client.get(f"{LIST}?{query}").json()

    assert sorted(item["name"] for item in body["results"]) == expected


def test_a_bad_filter_value_is_a_400_naming_the_field(anon_client):
    response = anon_client.get(f"{LIST}?priority=Urgent")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "priority"


def test_lead_creates_updates_and_deletes_a_blueprint_of_their_project(lead_client, nova):
    created = lead_client.post(
        LIST,
        {
            "project": "nova",
            "name": "virt-driver-large-pages",
            "title": "Huge pages",
            "priority": "Medium",
            "implementation_status": "Started",
            "milestone": "juno-3",
            "tags": ["nfv"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["series"], body["lifecycle_status"], body["tags"]) == ("juno", "Started", ["nfv"])
    # Only imported blueprints have Launchpad links; the others say null, never "" (not a URI).
    assert (body["self_link"], body["web_link"]) == (None, None)

    url = body["url"]
    patched = lead_client.patch(
        url, {"implementation_status": "Implemented"}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert patched.json()["lifecycle_status"] == "Complete"
    assert patched.json()["date_completed"]

    assert lead_client.delete(url).status_code == 204
    assert not Blueprint.objects.exists()


def test_api_refuses_a_dependency_cycle_naming_it(lead_client, nova):
    a = make_blueprint(nova, "a-objects")
    b = make_blueprint(nova, "b-conductor", dependencies=[a])

    response = lead_client.patch(
        detail(a), {"dependencies": ["b-conductor"]}, content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "errors": [
            {
                "field": "dependencies",
                "message": "These dependencies would make a cycle: "
                "nova/a-objects → nova/b-conductor → nova/a-objects.",
            }
        ]
    }
    assert not BlueprintDependency.objects.filter(blueprint=a).exists()
    assert b.dependencies.get() == a


def test_api_refuses_unknown_values_naming_the_field(lead_client, nova):
    bad_status = lead_client.post(
        LIST,
        {"project": "nova", "name": "x-one", "title": "X", "priority": "Urgent"},
        content_type="application/json",
    )
    bad_name = lead_client.post(
        LIST, {"project": "nova", "name": "X One", "title": "X"}, content_type="application/json"
    )
    bad_dependency = lead_client.post(
        LIST,
        {"project": "nova", "name": "x-two", "title": "X", "dependencies": ["nope"]},
        content_type="application/json",
    )
    make_blueprint(nova, "taken")
    duplicate = lead_client.post(
        LIST, {"project": "nova", "name": "taken", "title": "X"}, content_type="application/json"
    )

    assert [r.status_code for r in (bad_status, bad_name, bad_dependency, duplicate)] == [400] * 4
    assert bad_status.json()["errors"][0]["field"] == "priority"
    assert bad_name.json()["errors"][0]["field"] == "name"
    assert bad_dependency.json()["errors"] == [
        {"field": "dependencies", "message": "No such blueprint: nova/nope."}
    ]
    assert duplicate.json()["errors"] == [
        {"field": "name", "message": "nova already has a blueprint called taken."}
    ]
    assert Blueprint.objects.count() == 1


@pytest.mark.parametrize("role_client", ["anon", "member", "board"], indirect=True)
def test_only_leads_and_admins_write_blueprints(role_client, nova):
    bp = make_blueprint(nova, "kept")

    create = role_client.post(
        LIST, {"project": "nova", "name": "new-one", "title": "N"}, content_type="application/json"
    )
    patch = role_client.patch(detail(bp), {"title": "changed"}, content_type="application/json")
    delete = role_client.delete(detail(bp))

    assert role_client.get(detail(bp)).status_code == 200
    assert {create.status_code, patch.status_code, delete.status_code} <= {401, 403}
    assert list(Blueprint.objects.values_list("name", "title")) == [("kept", "Title of kept")]


def test_a_lead_edits_only_their_own_projects_blueprints(lead_client, nova):
    neutron = ProjectFactory(name="neutron")
    theirs = make_blueprint(neutron, "their-work")

    patch = lead_client.patch(detail(theirs), {"title": "x"}, content_type="application/json")
    create = lead_client.post(
        LIST, {"project": "neutron", "name": "n-one", "title": "N"}, content_type="application/json"
    )
    move = lead_client.patch(
        detail(make_blueprint(nova, "mine")),
        {"project": "neutron"},
        content_type="application/json",
    )

    assert (patch.status_code, create.status_code, move.status_code) == (403, 403, 403)
    assert Blueprint.objects.get(pk=theirs.pk).title == "Title of their-work"
    assert not neutron.blueprints.exclude(pk=theirs.pk).exists()


def test_admin_edits_any_project(admin_client, nova):
    bp = make_blueprint(nova, "any")
    response = admin_client.patch(
        detail(bp), {"title": "By admin"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["title"] == "By admin"


def test_projects_crud(lead_client, lead_user, member_client):
    created = lead_client.post(
        "/api/v1/projects/",
        {"name": "cyborg", "title": "Accelerators"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["leads"] == ["larry-lead"]  # a lead who creates a project leads it
    assert (
        member_client.post(
            "/api/v1/projects/", {"name": "x", "title": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    url = "/api/v1/projects/cyborg/"
    assert (
        lead_client.patch(url, {"title": "Cyborg"}, content_type="application/json").json()["title"]
        == "Cyborg"
    )
    ProjectFactory(name="other")
    assert (
        lead_client.patch(
            "/api/v1/projects/other/", {"title": "Mine"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert lead_client.delete(url).status_code == 204
    assert not Project.objects.filter(name="cyborg").exists()


def test_series_and_milestones_read_anonymously_and_admins_write(
    anon_client, admin_client, lead_client
):
    juno = anon_client.get("/api/v1/series/juno/").json()
    assert (juno["name"], juno["version"], juno["milestones"][:2]) == (
        "Juno",
        "2014.2",
        ["juno-1", "juno-2"],
    )
    assert anon_client.get("/api/v1/milestones/?series=juno").json()["count"] == 5
    m = {"name": "juno-4", "series": "juno", "kind": "milestone", "date": "2014-09-20"}
    assert (
        lead_client.post("/api/v1/milestones/", m, content_type="application/json").status_code
        == 403
    )
    assert (
        admin_client.post("/api/v1/milestones/", m, content_type="application/json").status_code
        == 201
    )
    assert Milestone.objects.get(name="juno-4").series.name == "Juno"
    assert admin_client.delete("/api/v1/milestones/juno-4/").status_code == 204


def test_names_that_differ_only_in_case_are_refused_and_lookups_prefer_the_exact_name(
    admin_client,
):
    # Found by fuzzing: "DevStack" beside "devstack" made /api/v1/milestones/DevStack/ a 500.
    first = {"name": "devstack", "series": "juno", "kind": "milestone", "date": "2014-09-20"}
    twin = {**first, "name": "DevStack"}
    assert (
        admin_client.post("/api/v1/milestones/", first, content_type="application/json").status_code
        == 201
    )

    refused = admin_client.post("/api/v1/milestones/", twin, content_type="application/json")

    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "name", "message": "Milestone devstack already exists (names ignore case)."}
    ]
    # Any case finds the one row (migration 0005 renamed the twins from before the rule).
    assert admin_client.get("/api/v1/milestones/DEVSTACK/").json()["date"] == "2014-09-20"


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/api/v1/projects/",
            {"name": "nova", "title": "Again"},
            "project with this name already exists.",
        ),
        (
            "/api/v1/series/",
            {"name": "Juno", "status": "maintained"},
            "series with this name already exists.",
        ),
        (
            "/api/v1/series/",
            {"name": "JUNO", "status": "maintained"},
            "Series Juno already exists (names ignore case).",
        ),
        (
            "/api/v1/milestones/",
            {"name": "juno-2", "series": "juno", "kind": "milestone"},
            "milestone with this name already exists.",
        ),
        (
            "/api/v1/milestones/",
            {"name": "Juno-2", "series": "juno", "kind": "milestone"},
            "Milestone juno-2 already exists (names ignore case).",
        ),
    ],
    ids=["project", "series", "series-case", "milestone", "milestone-case"],
)
def test_a_name_taken_ignoring_case_is_a_400_on_name(admin_client, nova, path, body, message):
    response = admin_client.post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "name", "message": message}]


@pytest.mark.parametrize("path", ["/api/v1/series/", "/api/v1/milestones/"])
@pytest.mark.parametrize("name", ["icehouse/juno", "../kilo", "kilo\u0007", "_kilo"])
def test_a_name_that_is_no_path_segment_is_a_400_and_the_list_still_reads(admin_client, path, name):
    # Found by fuzzing: a series named with a '/' was stored, then its link failed every list.
    body = {"name": name, "series": "juno", "kind": "milestone", "status": "maintained"}

    response = admin_client.post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "name",
            "message": "Use letters, digits, spaces, '+', '-', '_' and '.', "
            "starting with a letter or digit.",
        }
    ]
    assert admin_client.get(path).status_code == 200


@pytest.mark.parametrize("name", ["2026.2 Gazpacho", "Kilo+1", "Ça-va_1"])
def test_release_team_style_series_names_are_accepted_and_linked(admin_client, name):
    body = {"name": name, "status": "future"}
    created = admin_client.post("/api/v1/series/", body, content_type="application/json")

    assert created.status_code == 201, created.json()
    assert admin_client.get("/api/v1/series/").status_code == 200
    assert admin_client.get(created.json()["url"]).json()["name"] == name


def test_deleting_a_milestone_still_targeted_is_a_409(admin_client, nova):
    make_blueprint(nova, "targeted", milestone=milestone("juno-2"))
    response = admin_client.delete("/api/v1/milestones/juno-2/")
    assert response.status_code == 409
    assert "still has blueprints" in response.json()["errors"][0]["message"]


def test_release_preview_as_json(anon_client, nova):
    make_blueprint(nova, "a-one", milestone=milestone("juno-2"), tags=["nfv"])
    body = anon_client.get("/api/v1/projects/nova/release-preview/juno/").json()
    assert body["total"] == 1 and body["themes"][0]["theme"] == "nfv"


def test_api_root_lists_the_roadmap_collections(anon_client):
    body = anon_client.get("/api/v1/").json()
    assert body["blueprints"].endswith("/api/v1/blueprints/")
    assert body["milestones"].endswith("/api/v1/milestones/")


@pytest.mark.parametrize("rows", [1, 60])
def test_blueprint_api_list_queries_do_not_grow_with_rows(
    rows, anon_client, nova, django_assert_max_num_queries
):
    base = make_blueprint(nova, "base-0000", tags=["nfv"])
    for n in range(rows):
        make_blueprint(
            nova,
            f"bp-{n:04d}",
            milestone=milestone("juno-2"),
            tags=["nfv", "xen"],
            dependencies=[base],
        )

    with django_assert_max_num_queries(6):
        response = anon_client.get(f"{LIST}?page_size=100")

    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [1, 40])
def test_project_series_and_milestone_api_lists_do_not_grow(
    rows, anon_client, django_assert_max_num_queries
):
    for n in range(rows):
        ProjectFactory(name=f"p-{n:03d}")
    for path in ("/api/v1/projects/", "/api/v1/series/", "/api/v1/milestones/"):
        with django_assert_max_num_queries(4):
            assert anon_client.get(path).status_code == 200


def test_a_lead_importing_into_a_new_project_leads_it(lead_client, lead_user):
    from roadmap.tests.launchpad_samples import juno_page

    response = lead_client.post(
        reverse("api-blueprint-import-collection"),
        {"project": "cyborg", "collection": juno_page()},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert list(Project.objects.get(name="cyborg").leads.all()) == [lead_user]
    bp = Blueprint.objects.get(project__name="cyborg", name="example-host-weigher")
    patch = lead_client.patch(detail(bp), {"title": "Mine now"}, content_type="application/json")
    assert patch.status_code == 200


def test_members_cannot_import(member_client):
    from roadmap.tests.launchpad_samples import juno_page

    response = member_client.post(
        reverse("api-blueprint-import-collection"),
        {"project": "cyborg", "collection": juno_page()},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Project.objects.filter(name="cyborg").exists()
