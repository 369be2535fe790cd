"""Series and milestone progress (counts, burndown, assignees, at risk), the report, the feed."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from roadmap.importers.launchpad import parse_pages
from roadmap.models import Blueprint
from roadmap.queries import burndown
from roadmap.services.blueprints import import_launchpad_collection
from roadmap.tests.factories import ProjectFactory, juno, make_blueprint, milestone
from roadmap.tests.launchpad_samples import LP, entry, page

pytestmark = pytest.mark.django_db


def spec(name, *, created="2014-05-01", started=None, completed=None, status="Not started", **kw):
    stamp = "T12:00:00+00:00"
    return entry(
        name,
        implementation_status=status,
        date_created=created + stamp,
        date_started=started + stamp if started else None,
        date_completed=completed + stamp if completed else None,
        **kw,
    )


@pytest.fixture
def juno2_history():
    """Five blueprints targeted to juno-2 (2014-06-11 → 2014-07-23) with known histories."""
    on = {"milestone_link": f"{LP}/nova/+milestone/juno-2"}
    entries = [
        spec(
            "a-done-early",
            started="2014-05-20",
            completed="2014-06-20",
            status="Implemented",
            assignee_link=f"{LP}/~alice",
            **on,
        ),
        spec(
            "b-started",
            started="2014-06-15",
            status="Good progress",
            assignee_link=f"{LP}/~alice",
            **on,
        ),
        spec("c-late-idea", created="2014-06-25", assignee_link=None, **on),
        spec(
            "d-done-later",
            started="2014-06-01",
            completed="2014-07-10",
            status="Implemented",
            assignee_link=f"{LP}/~bob",
            priority="High",
            **on,
        ),
        spec("e-blocked", started="2014-06-15", status="Blocked", assignee_link=f"{LP}/~bob", **on),
        spec("z-other-milestone", milestone_link=f"{LP}/nova/+milestone/juno-3"),
    ]
    import_launchpad_collection("nova", parse_pages([page(entries)]), actor=None, series=juno())
    neutron = page([spec("n-elsewhere", **on)])
    import_launchpad_collection("neutron", parse_pages([neutron]), actor=None, series=juno())


def burndown_of(response) -> dict:
    found = re.search(
        r'<script id="burndown-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def count_of(response, key: str) -> int:
    found = re.search(rf'data-count="{re.escape(key)}">(\d+)<', response.content.decode())
    return int(found.group(1))


def test_milestone_page_counts_agree_with_the_data(anon_client, juno2_history):
    response = anon_client.get(
        reverse("roadmap:milestone_detail", args=["juno-2"]) + "?project=nova"
    )

    assert count_of(response, "lifecycle_status:Complete") == 2
    assert count_of(response, "lifecycle_status:Started") == 2
    assert count_of(response, "lifecycle_status:Not started") == 1
    assert count_of(response, "priority:High") == 1
    assert count_of(response, "priority:Medium") == 4
    assert count_of(response, "implementation_status:Implemented") == 2
    assert count_of(response, "implementation_status:Blocked") == 1


def test_milestone_burndown_is_drawn_from_the_history(anon_client, juno2_history):
    response = anon_client.get(
        reverse("roadmap:milestone_detail", args=["juno-2"]) + "?project=nova"
    )
    data = burndown_of(response)
    by_day = dict(zip(data["days"], zip(data["open"], data["done"], strict=True), strict=True))

    assert data["days"][0] == "2014-06-11" and data["days"][-1] == "2014-07-23"
    assert by_day["2014-06-11"] == (4, 0)  # a, b, d, e exist; c not yet registered
    assert by_day["2014-06-20"] == (3, 1)  # a completed
    assert by_day["2014-06-25"] == (4, 1)  # c registered
    assert by_day["2014-07-10"] == (3, 2)  # d completed
    # The last day agrees with the counts on the same page.
    assert by_day["2014-07-23"] == (
        count_of(response, "lifecycle_status:Started")
        + count_of(response, "lifecycle_status:Not started"),
        count_of(response, "lifecycle_status:Complete"),
    )
    # The ideal pace starts from the whole scope, c-late-idea (registered on 06-25) included.
    assert data["ideal"][0] == 5 and data["ideal"][-1] == 0


def test_milestone_page_of_all_projects_counts_neutron_too(anon_client, juno2_history):
    response = anon_client.get(reverse("roadmap:milestone_detail", args=["juno-2"]))
    assert count_of(response, "lifecycle_status:Not started") == 2


def test_work_per_assignee_and_at_risk(anon_client, juno2_history):
    text = anon_client.get(
        reverse("roadmap:milestone_detail", args=["juno-2"]) + "?project=nova"
    ).content.decode()
    assignees = text.split('data-testid="assignees"')[1].split("</table>")[0]
    at_risk = text.split('data-testid="at-risk"')[1].split("</table>")[0]

    rows = re.findall(
        r"<tr><td>(?:<a[^>]*>)?([\w-]+)(?:</a>)?</td><td>(\d+)</td><td>(\d+)</td>"
        r"<td>(\d+)</td><td>(\d+)</td></tr>",
        assignees,
    )
    assert sorted(rows) == [
        ("alice", "2", "0", "1", "1"),
        ("bob", "2", "0", "1", "1"),
        ("unassigned", "1", "1", "0", "0"),
    ]
    # juno-2 is long past: the not-started and the blocked blueprints are at risk, not the others.
    assert "c-late-idea" in at_risk and "e-blocked" in at_risk
    assert "b-started" not in at_risk and "a-done-early" not in at_risk


def test_series_page_counts_every_blueprint_with_the_goal(anon_client, juno2_history):
    response = anon_client.get(reverse("roadmap:series_detail", args=["juno"]) + "?project=nova")
    data = burndown_of(response)

    assert count_of(response, "lifecycle_status:Not started") == 2  # c and z
    assert data["open"][-1] + data["done"][-1] == 6
    assert "juno-3" in response.content.decode()


def test_series_page_of_an_unknown_series_is_404(anon_client):
    assert anon_client.get("/roadmap/series/nope/").status_code == 404


@pytest.fixture
def juno_release():
    nova = ProjectFactory(name="nova", title="OpenStack Compute (nova)")
    make_blueprint(
        nova,
        "pci-sriov",
        milestone=milestone("juno-3"),
        tags=["nfv", "networking"],
        implementation_status="Implemented",
    )
    make_blueprint(nova, "numa-placement", milestone=milestone("juno-3"), tags=["nfv"])
    make_blueprint(
        nova,
        "scheduler-lib",
        milestone=milestone("juno-2"),
        tags=["scheduler"],
        implementation_status="Started",
    )
    make_blueprint(nova, "no-tags-here", series=juno(), summary="Some *markdown* [text].")
    make_blueprint(nova, "in-kilo", milestone=milestone("kilo-1"), tags=["nfv"])
    make_blueprint(ProjectFactory(name="neutron"), "other-project", series=juno())
    return nova


JUNO_NAMES = ["pci-sriov", "numa-placement", "scheduler-lib", "no-tags-here"]


def test_report_lists_every_blueprint_of_the_series_exactly_once(anon_client, juno_release):
    html = anon_client.get(
        reverse("roadmap:release_preview", args=["nova", "juno"])
    ).content.decode()
    markdown = anon_client.get(
        reverse("roadmap:release_preview", args=["nova", "juno"]) + "?format=markdown"
    ).content.decode()
    data = anon_client.get(
        reverse("roadmap:release_preview", args=["nova", "juno"]) + "?format=json"
    ).json()

    assert html.count('data-testid="report-item"') == 4
    for name in JUNO_NAMES:
        assert html.count(f"({name})") == 1
        assert markdown.count(f"(`{name}`)") == 1
    assert "in-kilo" not in html + markdown and "other-project" not in html + markdown
    listed = [bp["name"] for theme in data["themes"] for bp in theme["blueprints"]]
    assert sorted(listed) == sorted(JUNO_NAMES)
    assert [t["theme"] for t in data["themes"]] == ["networking", "nfv", "scheduler", "other"]
    assert data["counts"] == {"Complete": 1, "Started": 1, "Not started": 2}


def test_markdown_report_escapes_user_text(anon_client, juno_release):
    markdown = anon_client.get(
        reverse("roadmap:release_preview", args=["nova", "juno"]) + "?format=markdown"
    )
    assert markdown["Content-Type"].startswith("text/markdown")
    assert "Some \\*markdown\\* \\[text\\]." in markdown.content.decode()


def test_feed_lists_the_projects_blueprint_changes(anon_client, juno_release):
    feed = anon_client.get(reverse("roadmap:project_feed", args=["nova"]))
    text = feed.content.decode()

    assert feed["Content-Type"].startswith("application/atom+xml")
    assert text.count("<entry>") == 5  # one creation each; neutron's is not in nova's feed
    assert "pci-sriov: Implemented, Complete (juno-3)" in text
    assert "other-project" not in text


def test_overview_tile_shows_the_current_series(anon_client, juno_release):
    text = anon_client.get("/").content.decode()
    assert "Roadmap: Kilo" in text  # the latest series any blueprint aims at


def test_demo_seeds_novas_roadmap_and_can_run_again(django_user_model):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    from roadmap.models import Blueprint, Project

    nova = Project.objects.get(name="nova")
    assert list(nova.leads.values_list("username", flat=True)) == ["lead"]
    names = set(nova.blueprints.values_list("name", flat=True))
    assert {
        "unified-object-model",
        "nova-v3-api",
        "add-ironic-driver",
        "docker-driver",
        "read-only-db-replicas",
        "use-mysql-connector",
        "live-upgrades",
    } <= names
    assert nova.blueprints.filter(tags__name="nfv").count() >= 3
    assert Blueprint.objects.get(name="live-upgrades").dependencies.count() == 2
    assert set(nova.blueprints.values_list("series__name", flat=True)) == {
        "Grizzly",
        "Havana",
        "Icehouse",
        "Juno",
    }


@pytest.mark.parametrize("rows", [1, 60])
def test_progress_pages_queries_do_not_grow_with_rows(
    rows, anon_client, django_assert_max_num_queries
):
    nova = ProjectFactory(name="nova")
    base = make_blueprint(nova, "base", tags=["nfv"], milestone=milestone("juno-2"))
    for n in range(rows):
        make_blueprint(
            nova, f"bp-{n:04d}", milestone=milestone("juno-2"), tags=["nfv"], dependencies=[base]
        )
    for url, ceiling in (
        (reverse("roadmap:milestone_detail", args=["juno-2"]), 16),
        (reverse("roadmap:series_detail", args=["juno"]) + "?project=nova", 16),
        (reverse("roadmap:release_preview", args=["nova", "juno"]), 5),
        (reverse("roadmap:project_detail", args=["nova"]), 7),
        (reverse("roadmap:index"), 4),
    ):
        with django_assert_max_num_queries(ceiling):
            assert anon_client.get(url).status_code == 200


def registered_on(bp, day: datetime.date) -> None:
    bp.history.update(changed_at=datetime.datetime.combine(day, datetime.time(12), datetime.UTC))


def test_the_ideal_pace_runs_from_the_whole_scope_to_zero_on_the_end_date():
    nova = ProjectFactory(name="nova")
    for number, day in enumerate((3, 10), start=1):
        registered_on(make_blueprint(nova, f"late-{number}"), datetime.date(2014, 5, day))
    start, end = datetime.date(2014, 5, 1), datetime.date(2014, 5, 11)

    data = burndown(Blueprint.objects.all(), start, end)

    assert data["open"][0] == 0  # before the fix, the ideal line started here: all zeros
    assert data["ideal"] == [2.0, 1.8, 1.6, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.2, 0.0]


def test_an_unfinished_window_draws_the_ideal_as_far_as_today():
    bp = make_blueprint(ProjectFactory(name="nova"), "ongoing")
    today = timezone.localdate()
    registered_on(bp, today - datetime.timedelta(days=5))

    data = burndown(
        Blueprint.objects.all(),
        today - datetime.timedelta(days=10),
        today + datetime.timedelta(days=10),
    )

    assert data["days"][-1] == today.isoformat()
    assert data["ideal"][0] == 1 and data["ideal"][-1] == 0.5
