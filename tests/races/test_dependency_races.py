"""Two leads at once: "A depends on B" and "B depends on A". No cycle ever forms; the loser gets
a 409 naming the dependency that would close it, never a 500 from a deadlock. Same project and
across projects; real threads, each with its own connection, on PostgreSQL."""

import pytest

from conftest import require_services
from roadmap.models import BlueprintDependency
from roadmap.tests.factories import ProjectFactory
from roadmap.tests.test_blueprints_api import detail, make_blueprint
from tests.races.test_zone_races import together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]
ROUNDS = 12


@pytest.mark.parametrize("across", [False, True], ids=["same project", "across projects"])
def test_crossed_dependency_edits_never_make_a_cycle(admin_user, across):
    require_services("PostgreSQL")
    nova = ProjectFactory(name="nova")
    other = ProjectFactory(name="cinder") if across else nova
    for round_number in range(ROUNDS):
        a = make_blueprint(nova, f"a-{round_number}")
        b = make_blueprint(other, f"b-{round_number}")

        statuses = together(
            admin_user,
            ("patch", detail(a), {"dependencies": [f"{other.name}/{b.name}"]}),
            ("patch", detail(b), {"dependencies": [f"{nova.name}/{a.name}"]}),
        )

        edges = BlueprintDependency.objects.filter(blueprint__in=[a, b]).count()
        assert edges == 1, (round_number, statuses)
        assert sorted(statuses) == [200, 409], (round_number, statuses)
