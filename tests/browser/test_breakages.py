"""In a real browser: writes that leave a page, odd host names, deletes that ask first, what-if
change sets in words, and the roadmap's series and burndown (issue #18's breakages)."""

import datetime
import json
from urllib.parse import unquote

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aggregates.demo import tour as demo
from aggregates.models import Aggregate, Flavor, Host
from aggregates.tests.factories import AggregateFactory, CloudFactory, HostFactory
from roadmap.importers.release_calendar import load_release_calendar
from roadmap.models import Blueprint, BoardItem, BoardMeeting, Meetup, Milestone, Rsvp, Series
from roadmap.services.blueprints import update_blueprint
from roadmap.tests.factories import (
    ActionItemFactory,
    BoardItemFactory,
    BoardMeetingFactory,
    MeetupFactory,
    ProjectFactory,
    RsvpFactory,
    make_blueprint,
    milestone,
)
from tests.browser.conftest import rename_then_delete_host, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deleting_an_aggregate_goes_to_the_list(admin_page):
    page = admin_page
    aggregate = AggregateFactory(cloud=CloudFactory(slug="devstack"), name="test-aggregate1")
    page.goto(f"/clouds/devstack/aggregates/{aggregate.pk}/")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete aggregate").click()

    page.wait_for_url("**/clouds/devstack/aggregates/")
    assert page.locator("header.site-header").count() == 1
    assert "Aggregate test-aggregate1 deleted." in page.locator("#messages").inner_text()
    assert not Aggregate.objects.filter(pk=aggregate.pk).exists()


def test_a_refused_aggregate_delete_is_a_message_in_place(admin_page):
    page = admin_page
    cloud = CloudFactory(slug="devstack")
    aggregate = AggregateFactory(
        cloud=cloud, name="test-aggregate2", hosts=[HostFactory(cloud=cloud)]
    )
    page.goto(f"/clouds/devstack/aggregates/{aggregate.pk}/")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete aggregate").click()

    error = page.get_by_test_id("delete-error")
    error.wait_for()
    assert "host" in error.inner_text().lower()
    assert page.locator("header.site-header").count() == 1  # no page nested in the page
    assert page.url.endswith(f"/clouds/devstack/aggregates/{aggregate.pk}/")
    assert Aggregate.objects.filter(pk=aggregate.pk).exists()


def test_a_host_named_with_a_slash_is_listed_and_opens(admin_page):
    page = admin_page
    cloud = CloudFactory(slug="devstack")
    HostFactory(cloud=cloud, name="rack1/</script>compute")

    page.goto("/clouds/devstack/hosts/")
    page.get_by_role("link", name="rack1/</script>compute").click()

    expect(page.locator("h1")).to_contain_text("rack1/</script>compute")
    assert Host.objects.filter(name="rack1/</script>compute").exists()


def test_a_host_named_with_a_slash_can_be_renamed_then_deleted(admin_page):
    page = admin_page
    HostFactory(cloud=CloudFactory(slug="devstack"), name="rack1/</script>compute")
    page.goto("/clouds/devstack/hosts/")
    page.get_by_role("link", name="rack1/</script>compute").click()

    rename_then_delete_host(page, "rack1-compute")

    assert not Host.objects.exists()


@pytest.fixture
def calendar():
    # Transactional tests flush the tables, the migration's release calendar too: reload it.
    load_release_calendar(Series, Milestone)


def ask_to_delete(page, button: str, *consequences: str) -> None:
    """Click a delete button; the confirmation must name each of `consequences`."""
    page.get_by_role("button", name=button).click()
    confirm = page.get_by_test_id("delete-confirm")
    for text in consequences:
        expect(confirm).to_contain_text(text)


def test_deleting_a_blueprint_first_names_its_history_and_dependants(page, lead_user, calendar):
    nova = ProjectFactory(name="nova", leads=[lead_user])
    base = make_blueprint(nova, "objects-base", milestone=milestone("juno-2"))
    update_blueprint(base, actor=lead_user, implementation_status="Started")
    make_blueprint(nova, "uses-objects", dependencies=[base])
    sign_in(page, "larry-lead", "pw-larry-lead")
    page.goto("/roadmap/projects/nova/blueprints/objects-base/")

    ask_to_delete(page, "Delete this blueprint", "2 status-history entries", "uses-objects depends")

    assert Blueprint.objects.filter(pk=base.pk).exists()
    page.get_by_role("button", name="Delete blueprint nova/objects-base").click()
    page.wait_for_url("**/roadmap/blueprints/?project=nova")
    assert "Blueprint objects-base deleted." in page.locator("#messages").inner_text()
    assert not Blueprint.objects.filter(pk=base.pk).exists()


def test_deleting_a_meetup_first_counts_its_rsvps(page, lead_user, calendar):
    meetup = MeetupFactory(title="Nova mid-cycle", organiser=lead_user)
    for response in ("going", "going", "maybe"):
        RsvpFactory(meetup=meetup, response=response)
    sign_in(page, "larry-lead", "pw-larry-lead")
    page.goto(f"/meetups/{meetup.pk}/")

    ask_to_delete(page, "Delete this meetup", "3 RSVPs (2 going, 1 maybe)")

    assert Meetup.objects.filter(pk=meetup.pk).exists()
    page.get_by_role("button", name="Delete meetup Nova mid-cycle").click()
    page.wait_for_url("**/meetups/")
    assert not Meetup.objects.filter(pk=meetup.pk).exists()
    assert not Rsvp.objects.exists()


def test_deleting_a_board_meeting_first_counts_its_agenda(page, board_user, calendar):
    meeting = BoardMeetingFactory(title="September board call")
    ActionItemFactory(item=BoardItemFactory(meeting=meeting), owner=board_user)
    BoardItemFactory(meeting=meeting)
    sign_in(page, "betty-board", "pw-betty-board")
    page.goto(f"/board/meetings/{meeting.pk}/edit/")

    ask_to_delete(page, "Delete", "2 agenda items", "1 action item")

    assert BoardMeeting.objects.filter(pk=meeting.pk).exists()
    page.get_by_role("button", name="Delete meeting").click()
    page.wait_for_url("**/board/")
    assert not BoardMeeting.objects.exists() and not BoardItem.objects.exists()


@pytest.fixture
def tour_page(admin_page, admin_user):
    """The CLI tour's cloud, its preview open on m1.coolhardware (flavor 100)."""
    demo._seed_devstack(admin_user)
    admin_page.goto("/clouds/devstack/placement-preview/?flavor=100")
    return admin_page


def add_change(page, action: str, **fields: str) -> None:
    form = page.get_by_test_id("change-form")
    form.locator("select[name=action]").select_option(action)
    for name, value in fields.items():
        form.locator(f"input[name={name}]").fill(value)
    form.get_by_role("button", name="Add change").click()


def test_a_what_if_flavor_resize_is_refused_on_the_change_line(tour_page):
    add_change(tour_page, "update_flavor", size="4,4096,40")

    expect(tour_page.get_by_test_id("change-error")).to_contain_text("cannot be resized")
    expect(tour_page.get_by_test_id("pending-changes")).to_contain_text("No pending changes")
    assert Flavor.objects.get(flavor_id="100").ram == 2048


def test_a_what_if_new_flavor_is_previewed_then_created_on_apply(tour_page):
    add_change(tour_page, "create_flavor", name="m1.coolhardware.large", size="4,4096,40")

    expect(tour_page.get_by_test_id("preview-summary")).to_contain_text("m1.coolhardware.large")
    assert not Flavor.objects.filter(name="m1.coolhardware.large").exists()
    tour_page.get_by_test_id("apply-changes").click()
    tour_page.wait_for_selector("text=Applied 1 change(s).")
    created = Flavor.objects.get(name="m1.coolhardware.large")
    assert (created.vcpus, created.ram, created.disk) == (4, 4096, 40)
    assert created.extra_specs == {"coolhardware": "true"}  # the previewed flavor's, copied
    assert Flavor.objects.get(flavor_id="100").ram == 2048


def test_a_non_numeric_flavor_size_is_an_error_on_the_change_line(tour_page):
    add_change(tour_page, "create_flavor", name="m1.big", size="4,lots,40")

    expect(tour_page.get_by_test_id("change-error")).to_contain_text("'lots' is not")
    expect(tour_page.get_by_test_id("pending-changes")).to_contain_text("No pending changes")
    assert not Flavor.objects.filter(name="m1.big").exists()


def test_pending_what_if_changes_are_sentences_each_removable(tour_page):
    page = tour_page
    add_change(page, "add_host", aggregate="test-aggregate1", host="devstack")
    add_change(page, "set_metadata", aggregate="test-aggregate1", key="ssd", value="true")

    lines = page.get_by_test_id("pending-changes").locator("li.pending-change")
    expect(lines.locator(".change-words")).to_have_text(
        ["add host devstack to test-aggregate1", "set ssd=true on test-aggregate1"]
    )
    assert "'action'" not in page.get_by_test_id("pending-changes").inner_text()

    lines.nth(0).get_by_role("button", name="Remove").click()

    expect(lines).to_have_count(1)
    expect(lines.nth(0)).to_contain_text("set ssd=true on test-aggregate1")
    assert "add_host" not in unquote(page.url)
    assert not Aggregate.objects.get(name="test-aggregate1").hosts.exists()


def test_the_juno_burndown_ideal_runs_from_the_scope_to_zero_at_release(page, calendar):
    nova = ProjectFactory(name="nova")
    # Registered after the window opens (Icehouse's release): nothing is open on its first day.
    for number, day in enumerate((5, 12, 20, 28), start=1):
        bp = make_blueprint(nova, f"juno-work-{number}", series=Series.objects.get(name="Juno"))
        bp.history.update(changed_at=datetime.datetime(2014, 5, day, 12, tzinfo=datetime.UTC))

    page.goto("/roadmap/series/juno/?project=nova")

    page.locator("[data-testid=burndown] canvas").first.wait_for()
    data = json.loads(page.locator("#burndown-data").text_content())
    assert (data["days"][0], data["days"][-1]) == ("2014-04-17", "2014-10-16")
    assert data["open"][0] == 0 and data["open"][-1] == 4
    assert data["ideal"][0] == 4 and data["ideal"][-1] == 0
    assert data["ideal"] == sorted(data["ideal"], reverse=True)


def test_a_series_past_its_release_date_is_not_shown_in_development(page, calendar):
    released = timezone.localdate() - datetime.timedelta(days=7)
    Series.objects.filter(name="Hibiscus").update(status="development", release_date=released)

    page.goto("/roadmap/series/hibiscus/")
    expect(page.locator("hgroup p")).to_contain_text("maintained")
    expect(page.locator("hgroup p")).not_to_contain_text("development")

    page.goto("/roadmap/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Hibiscus", exact=True))
    expect(row).to_contain_text("maintained")


JUNO_MILESTONES = ["juno-1", "juno-2", "juno-3", "juno-rc1", "juno-final"]


def test_the_new_blueprint_form_offers_the_chosen_series_milestones_only(page, lead_user, calendar):
    ProjectFactory(name="nova", leads=[lead_user])
    sign_in(page, "larry-lead", "pw-larry-lead")
    page.goto("/roadmap/blueprints/new/?project=nova")

    page.select_option("select[name=series]", label="Juno")
    milestones = page.locator("select[name=milestone] option")
    expect(milestones).to_have_text(["No milestone target", *JUNO_MILESTONES])
    page.select_option("select[name=series]", label="Kilo")
    expect(milestones.first).to_have_text("No milestone target")
    expect(page.locator("select[name=milestone]")).to_contain_text("kilo-1")
    expect(page.locator("select[name=milestone]")).not_to_contain_text("juno-")
