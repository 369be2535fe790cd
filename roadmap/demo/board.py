"""Demo meetups and board meetings from the seed posts: Juno's mid-cycle meetups, 2014's board.

Safe to run again: rows are found by their natural keys and brought back to these values.
"""

import datetime

from django.contrib.auth import get_user_model

from roadmap.choices import ActionItemStatus, BoardItemStatus, MeetupKind, RsvpResponse
from roadmap.models import ActionItem, BoardItem, BoardMeeting, Meetup, Project, Rsvp, Series

D = datetime.date

# username → full name: community members who travel to meetups (fictional people).
TRAVELLERS = {
    "ana-compute": "Ana Compute",
    "ben-network": "Ben Network",
    "cai-baremetal": "Cai Baremetal",
    "dee-deploy": "Dee Deploy",
    "eli-identity": "Eli Identity",
    "fay-gate": "Fay Gate",
}

PROJECTS = {
    "nova": "Nova (Compute)",
    "neutron": "Neutron (Networking)",
    "ironic": "Ironic (Bare Metal)",
    "tripleo": "TripleO (Deployment)",
    "keystone": "Keystone (Identity)",
}

# (project, title, start, end, place, wiki, capacity, travellers going)
JUNO_MEETUPS = [
    ("neutron", "Neutron Juno mid-cycle meetup", D(2014, 7, 9), D(2014, 7, 11),
     "Minneapolis, Minnesota", "https://wiki.openstack.org/wiki/Sprints/NeutronJunoSprint", 40,
     ["ben-network", "fay-gate", "ana-compute"]),
    ("keystone", "Keystone Juno hackathon", D(2014, 7, 9), D(2014, 7, 11),
     "San Antonio, Texas", "https://wiki.openstack.org/wiki/Sprints/KeystoneJunoSprint", 30,
     ["eli-identity"]),
    ("tripleo", "TripleO Juno mid-cycle meetup", D(2014, 7, 21), D(2014, 7, 25),
     "Raleigh, North Carolina", "https://wiki.openstack.org/wiki/Sprints/TripleOJunoSprint", 35,
     ["dee-deploy", "cai-baremetal", "fay-gate"]),
    ("nova", "Nova Juno mid-cycle meetup", D(2014, 7, 28), D(2014, 7, 30),
     "Beaverton, Oregon", "https://wiki.openstack.org/wiki/Sprints/BeavertonJunoSprint", 60,
     ["ana-compute", "cai-baremetal", "fay-gate", "lead"]),
    ("ironic", "Ironic Juno mid-cycle meetup", D(2014, 7, 28), D(2014, 8, 1),
     "Beaverton, Oregon", "https://wiki.openstack.org/wiki/Sprints/BeavertonJunoSprint", 30,
     ["cai-baremetal", "dee-deploy"]),
]  # fmt: skip


def seed(*, users: dict) -> str:
    traveller_users = _seed_travellers()
    people = {**traveller_users, **{u.username: u for u in users.values()}}
    meetups = _seed_meetups(people, organiser=users["lead"])
    meetings, items = _seed_board(users)
    return (
        f"{meetups} Juno meetups with {Rsvp.objects.filter(meetup__series__name='Juno').count()}"
        f" RSVPs; {meetings} board meetings with {items} agenda items"
    )


def _seed_travellers() -> dict:
    User = get_user_model()
    found = {}
    for username, full_name in TRAVELLERS.items():
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()  # demo attendees only; nobody signs in as them
            user.save()
        found[username] = user
    return found


def _seed_meetups(people: dict, *, organiser) -> int:
    juno = Series.objects.get(name="Juno")
    for project_name, title, start, end, place, wiki, capacity, going in JUNO_MEETUPS:
        project, _ = Project.objects.get_or_create(
            name=project_name, defaults={"title": PROJECTS[project_name]}
        )
        meetup, _ = Meetup.objects.update_or_create(
            title=title,
            series=juno,
            defaults={
                "project": project,
                "kind": MeetupKind.MID_CYCLE,
                "start_date": start,
                "end_date": end,
                "place": place,
                "wiki_url": wiki,
                "capacity": capacity,
                "organiser": organiser,
                "description": f"{PROJECTS[project_name]} contributors meet between summits.",
            },
        )
        # History: these meetups are over, so their answers are written as they were given.
        for username in going:
            Rsvp.objects.update_or_create(
                meetup=meetup, user=people[username], defaults={"response": RsvpResponse.GOING}
            )
    return len(JUNO_MEETUPS)


SEPTEMBER_ITEMS = [
    {
        "topic": "Mid-cycle meetups",
        "presenter": "Technical Committee liaison",
        "summary": (
            "Mid-cycle meetups have become the place where **design decisions** are made. "
            "Contributors who cannot travel several times a cycle feel left out; the travel "
            "burden falls hardest on people working on *several* projects.\n\n"
            "- Nova, Ironic and TripleO contributors attended up to three meetups in Juno\n"
            "- Companies fund travel unevenly"
        ),
        "decision": (
            "The board asks the Technical Committee to report on the cost and reach of "
            "mid-cycle meetups at the Paris meeting."
        ),
        "status": BoardItemStatus.DECIDED,
        "links": "https://wiki.openstack.org/wiki/Sprints",
    },
    {
        "topic": "The platinum sponsor spot",
        "presenter": "Executive Director",
        "summary": (
            "A Platinum Member seat is open. The staff described the application process and "
            "the timeline for candidates to present to the board."
        ),
        "decision": "Candidates for the open Platinum seat present at the Paris meeting.",
        "status": BoardItemStatus.DECIDED,
        "links": "",
    },
    {
        "topic": "DefCore: towards several trademark programs",
        "presenter": "DefCore committee co-chairs",
        "summary": (
            "DefCore proposes to move from one *OpenStack Powered* mark towards **several "
            "trademark programs** (for example compute and object storage), each defined by "
            "capabilities that are tested and by designated sections of code."
        ),
        "decision": (
            "The board supports the direction; the committee brings the program definitions "
            "for a vote in Paris."
        ),
        "status": BoardItemStatus.DECIDED,
        "links": "https://wiki.openstack.org/wiki/Governance/CoreDefinition",
    },
    {
        "topic": "Trademark enforcement matter",
        "presenter": "Foundation counsel",
        "summary": "Counsel briefed the board on a pending trademark matter.",
        "decision": "Counsel to proceed as briefed.",
        "status": BoardItemStatus.DECIDED,
        "links": "",
        "executive_session": True,
    },
]

NOVEMBER_ITEMS = [
    {
        "topic": "DefCore trademark programs: vote",
        "presenter": "DefCore committee co-chairs",
        "summary": "Definitions of the first trademark programs, for a vote.",
        "status": BoardItemStatus.PROPOSED,
        "links": "",
    },
    {
        "topic": "Mid-cycle meetups: report from the Technical Committee",
        "presenter": "Technical Committee chair",
        "summary": "What Juno's mid-cycle meetups cost and who could attend them.",
        "status": BoardItemStatus.PROPOSED,
        "links": "",
    },
    {
        "topic": "Platinum seat candidates",
        "presenter": "Executive Director",
        "summary": "Candidates present; the board deliberates in executive session.",
        "status": BoardItemStatus.PROPOSED,
        "links": "",
        "executive_session": True,
    },
]


def _seed_board(users: dict) -> tuple[int, int]:
    september = _meeting(
        "Board of Directors conference call",
        D(2014, 9, 18),
        datetime.time(16, 0),
        place="",
        call_url="https://wiki.openstack.org/wiki/Governance/Foundation/18Sep2014BoardMeeting",
        attendees=[users["board"]],
    )
    paris = _meeting(
        "Board of Directors meeting, Paris",
        D(2014, 11, 2),
        datetime.time(8, 0),
        place="Paris, France (before the Kilo design summit)",
        call_url="",
        attendees=[users["board"]],
    )
    count = 0
    for meeting, items in ((september, SEPTEMBER_ITEMS), (paris, NOVEMBER_ITEMS)):
        for position, fields in enumerate(items, start=1):
            fields = {"executive_session": False, "decision": "", **fields}
            item, _ = BoardItem.objects.update_or_create(
                meeting=meeting,
                topic=fields.pop("topic"),
                defaults={"position": position, **fields},
            )
            count += 1
            if item.topic.startswith("DefCore:"):
                ActionItem.objects.update_or_create(
                    item=item,
                    description="Bring the trademark program definitions to the Paris meeting",
                    defaults={
                        "owner": users["board"],
                        "due_date": paris.date,
                        "status": ActionItemStatus.DONE,
                    },
                )
            if item.topic == "Mid-cycle meetups":
                ActionItem.objects.update_or_create(
                    item=item,
                    description="Ask the TC for a report on mid-cycle meetup travel",
                    defaults={
                        "owner": users["admin"],
                        "due_date": D(2014, 10, 15),
                        "status": ActionItemStatus.OPEN,
                    },
                )
    return 2, count


def _meeting(title, date, start_time, *, place, call_url, attendees) -> BoardMeeting:
    meeting, _ = BoardMeeting.objects.update_or_create(
        title=title,
        date=date,
        defaults={
            "start_time": start_time,
            "duration_minutes": 180,
            "place": place,
            "call_url": call_url,
        },
    )
    meeting.attendees.set(attendees)
    return meeting
