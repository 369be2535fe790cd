"""Twenty clients creating the same name at once: one wins, every other one gets the answer the
service's own check gives (409 or 400 naming the field), never a 500 from the unique index that
caught the race. Real threads, each with its own database connection, on PostgreSQL."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from aggregates.tests.factories import CloudFactory
from conftest import require_services
from roadmap.tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]
THREADS = 20
ROUNDS = 3
JSON = "application/json"


def race(user, path: str, bodies, *, form: bool = False) -> list[tuple[int, dict]]:
    """POST each body from its own thread, all released together; (status, JSON) of each."""
    barrier = threading.Barrier(len(bodies))
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def post(body):
        client = Client(raise_request_exception=False)  # a 500 is an answer to count
        try:
            client.force_login(user)
            barrier.wait()
            if form:
                response = client.post(path, body)  # a page's form, CSRF checks off in Client
            else:
                response = client.post(path, body, content_type=JSON)
            json_body = response.json() if response["Content-Type"] == JSON else {}
            answer = (response.status_code, json_body)
        finally:
            connection.close()  # this thread's connection
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def assert_one_winner(answers, *, created: int, refused: int, field: str) -> None:
    statuses = Counter(status for status, _ in answers)
    assert statuses == {created: 1, refused: len(answers) - 1}, statuses
    for status, body in answers:
        if status == refused:
            assert [error["field"] for error in body["errors"]] == [field], body


def cases():
    yield (
        "aggregate",
        lambda n: ("/api/v1/clouds/{cloud}/aggregates/", {"name": f"rack-{n}"}, 409, "name"),
    )
    yield (
        "flavor",
        lambda n: (
            "/api/v1/clouds/{cloud}/flavors/",
            {"name": f"m1.race-{n}", "vcpus": 1, "ram": 512, "disk": 1},
            409,
            "name",
        ),
    )
    yield (
        "host",
        lambda n: (
            "/api/v1/clouds/{cloud}/hosts/",
            {"name": f"compute-{n}", "vcpus": 8, "memory_mb": 16384, "local_gb": 100},
            409,
            "name",
        ),
    )
    yield "cloud", lambda n: ("/api/v1/clouds/", {"slug": f"race-{n}", "name": "Race"}, 409, "slug")
    yield (
        "project",
        lambda n: ("/api/v1/projects/", {"name": f"race-{n}", "title": "R"}, 400, "name"),
    )
    yield (
        "milestone",
        lambda n: (
            "/api/v1/milestones/",
            {"name": f"juno-race{n}", "series": "juno", "kind": "milestone", "date": "2014-09-20"},
            400,
            "name",
        ),
    )
    yield (
        "blueprint",
        lambda n: (
            "/api/v1/blueprints/",
            {"project": "racers", "name": f"race-{n}", "title": "Race", "milestone": "juno-3"},
            400,
            "name",
        ),
    )


@pytest.mark.parametrize("case", [name for name, _ in cases()])
def test_concurrent_creates_of_one_name_answer_409_not_500(admin_user, case):
    require_services("PostgreSQL")
    make = dict(cases())[case]
    cloud = CloudFactory(slug="racing")
    ProjectFactory(name="racers")
    for round_number in range(ROUNDS):
        path, body, refused, field = make(round_number)
        answers = race(admin_user, path.format(cloud=cloud.slug), [body] * THREADS)
        assert_one_winner(answers, created=201, refused=refused, field=field)


def case_variants(name: str, count: int) -> list[str]:
    """`count` spellings of `name` that differ only in case ("race-0", "Race-0", "rAce-0", ...)."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    variants = []
    for n in range(count):
        chars = list(name)
        for bit, i in enumerate(letters):
            if n >> bit & 1:
                chars[i] = chars[i].upper()
        variants.append("".join(chars))
    return variants


CASE_CASES = {
    "cloud": ("/api/v1/clouds/", "slug", {"name": "Race"}, 409),
    "series": ("/api/v1/series/", "name", {"status": "future"}, 400),
    "milestone": (
        "/api/v1/milestones/",
        "name",
        {"series": "juno", "kind": "milestone", "date": "2014-09-20"},
        400,
    ),
}


@pytest.mark.parametrize("case", list(CASE_CASES))
def test_concurrent_creates_of_names_differing_only_in_case_leave_one(admin_user, case):
    require_services("PostgreSQL")
    path, field, rest, refused = CASE_CASES[case]
    for round_number in range(ROUNDS):
        bodies = [{field: name, **rest} for name in case_variants(f"race-{round_number}", THREADS)]
        answers = race(admin_user, path, bodies)
        assert_one_winner(answers, created=201, refused=refused, field=field)


def test_concurrent_page_creates_of_one_name_answer_409_not_500(admin_user):
    require_services("PostgreSQL")
    cloud = CloudFactory(slug="racing")
    for round_number in range(ROUNDS):
        body = {"name": f"rack-{round_number}", "availability_zone": ""}
        answers = race(
            admin_user, f"/clouds/{cloud.slug}/aggregates/new/", [body] * THREADS, form=True
        )
        statuses = Counter(status for status, _ in answers)
        # The winner is redirected to its aggregate; the check refuses most others (422, in the
        # form); those the index refuses get the 409 page.
        assert statuses[302] == 1 and set(statuses) <= {302, 409, 422}, statuses
