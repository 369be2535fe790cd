"""Roles are groups created by a migration; every decision goes through dashboard.permissions."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from dashboard import permissions
from dashboard.demo import DEMO_PASSWORD, seed_users

pytestmark = pytest.mark.django_db


def test_the_role_groups_exist_with_their_exact_names():
    names = set(Group.objects.values_list("name", flat=True))

    assert {"cloud-admin", "project-lead", "board-member"} <= names


@pytest.mark.parametrize(
    ("user_fixture", "admin", "lead", "board"),
    [
        ("admin_user", True, False, False),
        ("lead_user", False, True, False),
        ("board_user", False, False, True),
        ("member_user", False, False, False),
    ],
)
def test_each_role_is_recognised(request, user_fixture, admin, lead, board):
    user = request.getfixturevalue(user_fixture)

    assert permissions.is_cloud_admin(user) is admin
    assert permissions.is_project_lead(user) is lead
    assert permissions.is_board_member(user) is board
    assert permissions.can_view_hosts_and_aggregates(user) is admin
    assert permissions.can_view_executive_session(user) is board


def test_superuser_holds_every_permission_the_board_s_included(superuser_user):
    assert permissions.is_cloud_admin(superuser_user)
    assert permissions.can_view_executive_session(superuser_user)
    assert permissions.can_edit_board(superuser_user)


def test_anonymous_reader_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert permissions.roles_of(anonymous) == frozenset()
    assert not permissions.is_cloud_admin(anonymous)
    assert not permissions.can_edit_roadmap(anonymous)


def test_demo_users_have_a_sign_in_per_role():
    seed_users()

    for username in ("admin", "lead", "board", "member"):
        assert Client().login(username=username, password=DEMO_PASSWORD), username
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    assert permissions.is_cloud_admin(admin)
