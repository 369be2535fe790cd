"""Launchpad import: every field mapped, idempotent, all or nothing, by file, URL, form and API."""

import datetime
import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dashboard.models import AuditEntry
from roadmap.models import Blueprint, BlueprintStatusChange, Project
from roadmap.tests.factories import ProjectFactory
from roadmap.tests.launchpad_samples import LP, entry, juno_page, page

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def write(tmp_path, data, name="specs.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def uploaded(data) -> SimpleUploadedFile:
    return SimpleUploadedFile("specs.json", json.dumps(data).encode(), "application/json")


def state() -> list[tuple]:
    """Everything an import writes, to compare before and after."""
    return [
        (
            tuple(bp.values()),
            sorted(BlueprintStatusChange.objects.filter(blueprint_id=bp["id"]).values_list("pk")),
        )
        for bp in Blueprint.objects.order_by("name").values()
    ]


def test_import_creates_blueprints_with_every_field_mapped(tmp_path, capsys):
    call_command("import_launchpad", write(tmp_path, juno_page()), project="nova", series="juno")

    assert Project.objects.get(name="nova")  # created when missing
    bp = Blueprint.objects.get(project__name="nova", name="example-host-weigher")
    assert bp.title == "Example example-host-weigher"
    assert bp.summary == "Summary of example-host-weigher."
    assert bp.specification_url.endswith("/juno/approved/example-host-weigher.html")
    assert bp.whiteboard.startswith("Approved for Juno.") and bp.gerrit_changes == [100001]
    assert bp.workitems_text.startswith("Work items for juno-2:")
    assert (bp.priority, bp.definition_status, bp.implementation_status) == (
        "Medium",
        "Approved",
        "Needs Code Review",
    )
    assert (bp.lifecycle_status, bp.direction_approved) == ("Started", True)
    assert (bp.owner, bp.assignee, bp.drafter, bp.approver) == ("alice", "alice", "carol", "bob")
    assert (bp.series.name, bp.milestone.name) == ("Juno", "juno-2")
    assert bp.date_created == datetime.datetime(2014, 4, 22, 10, 15, tzinfo=UTC)
    assert bp.date_started == datetime.datetime(2014, 6, 30, 8, 0, tzinfo=UTC)
    assert bp.date_completed is None
    assert bp.self_link == f"{LP}/nova/+spec/example-host-weigher"
    assert bp.web_link == "https://blueprints.launchpad.net/nova/+spec/example-host-weigher"
    assert bp.unmapped_values == {}
    done = Blueprint.objects.get(name="pci-passthrough-sriov")
    assert (done.lifecycle_status, done.milestone.name, done.drafter, done.approver) == (
        "Complete",
        "juno-3",
        "",
        "",
    )
    assert done.date_completed == datetime.datetime(2014, 9, 1, 12, tzinfo=UTC)
    bare = Blueprint.objects.get(name="use-mysql-connector")
    assert (bare.assignee, bare.milestone, bare.series.name, bare.specification_url) == (
        "",
        None,
        "Juno",
        "",
    )
    assert "3 created, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_imported_history_follows_launchpads_dates(tmp_path):
    call_command("import_launchpad", write(tmp_path, juno_page()), project="nova", series="juno")

    history = Blueprint.objects.get(name="pci-passthrough-sriov").history.all()
    assert [(h.changed_at.date().isoformat(), h.lifecycle_status) for h in history] == [
        ("2014-04-22", "Not started"),
        ("2014-09-01", "Complete"),
    ]


def test_importing_the_same_file_again_changes_nothing(tmp_path, capsys):
    path = write(tmp_path, juno_page())
    call_command("import_launchpad", path, project="nova", series="juno")
    before, audit_count = state(), AuditEntry.objects.count()

    call_command("import_launchpad", path, project="nova", series="juno")

    assert state() == before
    assert AuditEntry.objects.count() == audit_count
    assert "0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_reimport_updates_in_place_and_records_the_status_change(tmp_path):
    call_command("import_launchpad", write(tmp_path, juno_page()), project="nova", series="juno")
    changed = juno_page()
    changed["entries"][0]["implementation_status"] = "Implemented"
    changed["entries"][0]["date_completed"] = "2014-07-20T09:00:00+00:00"
    changed["entries"][0]["title"] = "Renamed on Launchpad"

    call_command("import_launchpad", write(tmp_path, changed), project="nova", series="juno")

    assert Blueprint.objects.count() == 3
    bp = Blueprint.objects.get(name="example-host-weigher")
    assert (bp.title, bp.lifecycle_status) == ("Renamed on Launchpad", "Complete")
    assert bp.history.last().changed_at == datetime.datetime(2014, 7, 20, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"name": None}, "entry 2: has no name"),
        ({"name": "Has_Capitals"}, "entry 2 (Has_Capitals): name 'Has_Capitals' does not match"),
        ({"title": ""}, "entry 2 (bad-one): has no title"),
        ({"priority": 70}, "entry 2 (bad-one): priority is a int, not a string"),
        ({"date_created": "22/04/2014"}, "date_created '22/04/2014' is not an ISO 8601 date"),
        ({"name": "example-host-weigher"}, "appears twice in the file (also entry 1)"),
        ({"specification_url": "not a url"}, "specification_url 'not a url' is not a URL"),
    ],
)
def test_one_bad_entry_imports_nothing_and_the_report_names_it(tmp_path, bad, reason):
    ProjectFactory(name="nova")
    data = juno_page()
    data["entries"][1] = entry("bad-one") | bad

    with pytest.raises(CommandError) as refused:
        call_command("import_launchpad", write(tmp_path, data), project="nova", series="juno")

    assert "Nothing was imported; 1 problem(s)" in str(refused.value)
    assert reason in str(refused.value)
    assert not Blueprint.objects.exists()


def test_an_entry_that_is_not_an_object_is_named(tmp_path):
    data = juno_page()
    data["entries"].append("just a string")

    with pytest.raises(CommandError, match=r"entry 4: is a str, not an object"):
        call_command("import_launchpad", write(tmp_path, data), project="nova")
    assert not Project.objects.filter(name="nova").exists()


def test_a_file_that_is_not_a_collection_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="the file is not JSON"):
        call_command("import_launchpad", str(path), project="nova")
    with pytest.raises(CommandError, match='no "entries" list'):
        call_command("import_launchpad", write(tmp_path, [1, 2]), project="nova")


def test_unknown_enum_values_and_milestones_are_kept_and_flagged(tmp_path, capsys):
    data = page(
        [
            entry(
                "future-values",
                priority="Critical",
                implementation_status="Waiting On Moon",
                milestone_link=f"{LP}/nova/+milestone/juno-4",
            )
        ]
    )

    call_command("import_launchpad", write(tmp_path, data), project="nova")

    bp = Blueprint.objects.get(name="future-values")
    assert (bp.priority, bp.implementation_status, bp.milestone) == ("Undefined", "Unknown", None)
    assert bp.unmapped_values == {
        "priority": "Critical",
        "implementation_status": "Waiting On Moon",
        "milestone": "juno-4",
    }
    out = capsys.readouterr().out
    assert "kept and flagged unknown values" in out and "priority='Critical'" in out


def test_private_entries_are_not_imported(tmp_path, capsys):
    data = page([entry("public-one"), entry("secret-one", information_type="Proprietary")])

    call_command("import_launchpad", write(tmp_path, data), project="nova")

    assert list(Blueprint.objects.values_list("name", flat=True)) == ["public-one"]
    assert "1 not public (skipped)" in capsys.readouterr().out


@pytest.fixture
def launchpad_server(tmp_path):
    """A local web server answering two collection pages linked by next_collection_link."""
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(tmp_path))
    )
    base = f"http://127.0.0.1:{server.server_address[1]}"
    first, second = juno_page(), page([entry("second-page-spec")])
    first["entries"] = first["entries"][:2]
    first["next_collection_link"] = f"{base}/page2.json"
    second["prev_collection_link"] = f"{base}/page1.json"
    write(tmp_path, first, "page1.json")
    write(tmp_path, second, "page2.json")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, requests
    server.shutdown()
    server.server_close()


def test_url_import_follows_next_collection_link_page_by_page(launchpad_server, capsys):
    base, requests = launchpad_server

    call_command("import_launchpad", url=f"{base}/page1.json", project="nova", series="juno")

    assert requests == ["/page1.json", "/page2.json"]
    assert sorted(Blueprint.objects.values_list("name", flat=True)) == [
        "example-host-weigher",
        "pci-passthrough-sriov",
        "second-page-spec",
    ]


def test_url_import_of_an_unreachable_server_imports_nothing(launchpad_server):
    base, _ = launchpad_server
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_launchpad", url=f"{base}/missing.json", project="nova")
    assert not Blueprint.objects.exists()


def test_lead_uploads_a_file_through_the_import_form(lead_client, lead_user, tmp_path):
    ProjectFactory(name="nova", leads=[lead_user])
    upload = uploaded(juno_page())

    response = lead_client.post(reverse("roadmap:project_import", args=["nova"]), {"file": upload})

    assert response.status_code == 302
    assert Blueprint.objects.filter(project__name="nova").count() == 3


def test_import_form_shows_each_bad_entry_with_422(lead_client, lead_user, tmp_path):
    ProjectFactory(name="nova", leads=[lead_user])
    data = juno_page()
    data["entries"][2]["title"] = None
    upload = uploaded(data)

    response = lead_client.post(reverse("roadmap:project_import", args=["nova"]), {"file": upload})

    assert response.status_code == 422
    assert "entry 3 (use-mysql-connector): has no title." in response.content.decode()
    assert not Blueprint.objects.exists()


def test_members_cannot_use_the_import_form(member_client, tmp_path):
    ProjectFactory(name="nova")
    upload = uploaded(juno_page())
    response = member_client.post(
        reverse("roadmap:project_import", args=["nova"]), {"file": upload}
    )
    assert response.status_code == 403
    assert not Blueprint.objects.exists()


def test_api_import_endpoint_reports_each_bad_entry(lead_client, lead_user):
    ProjectFactory(name="nova", leads=[lead_user])
    url = reverse("api-blueprint-import-collection")
    bad = juno_page()
    bad["entries"][0]["name"] = "Nope"
    bad["entries"][1]["date_started"] = "soon"

    refused = lead_client.post(
        url, {"project": "nova", "collection": bad}, content_type="application/json"
    )
    accepted = lead_client.post(
        url,
        {"project": "nova", "series": "juno", "collection": juno_page()},
        content_type="application/json",
    )
    again = lead_client.post(
        url,
        {"project": "nova", "series": "juno", "collection": juno_page()},
        content_type="application/json",
    )

    assert refused.status_code == 400
    messages = [e["message"] for e in refused.json()["errors"]]
    assert len(messages) == 2
    assert messages[0].startswith("entry 1 (Nope): name 'Nope' does not match")
    assert "entry 2 (pci-passthrough-sriov): date_started 'soon'" in messages[1]
    assert accepted.status_code == 201 and len(accepted.json()["created"]) == 3
    assert again.status_code == 200 and len(again.json()["unchanged"]) == 3


def test_api_import_into_a_project_the_lead_does_not_lead_is_forbidden(lead_client):
    ProjectFactory(name="neutron")
    response = lead_client.post(
        reverse("api-blueprint-import-collection"),
        {"project": "neutron", "collection": juno_page()},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Blueprint.objects.exists()


def test_values_too_long_for_our_columns_are_refused_by_entry(tmp_path):
    data = juno_page()
    data["entries"][0]["title"] = "x" * 201
    data["entries"][2]["assignee_link"] = f"{LP}/~" + "a" * 101

    with pytest.raises(CommandError) as refused:
        call_command("import_launchpad", write(tmp_path, data), project="nova")

    assert "entry 1 (example-host-weigher): title is longer than 200 characters" in str(
        refused.value
    )
    assert "entry 3 (use-mysql-connector): assignee_link names a person id longer" in str(
        refused.value
    )
    assert not Blueprint.objects.exists()


def test_a_column_rule_the_parser_missed_still_refuses_the_whole_file(tmp_path, monkeypatch):
    from roadmap.importers import launchpad

    monkeypatch.setattr(launchpad, "MAX_LENGTHS", {})  # let an over-long title through
    data = juno_page()
    data["entries"][2]["title"] = "x" * 201

    with pytest.raises(CommandError, match="entry use-mysql-connector: Ensure this value"):
        call_command("import_launchpad", write(tmp_path, data), project="nova")

    assert not Blueprint.objects.exists()
    assert not Project.objects.filter(name="nova").exists()
