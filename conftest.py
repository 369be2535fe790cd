"""Shared fixtures: a user and a client per role; with CI=true the real services are required."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.test import Client

from dashboard import permissions

# Test users sign in thousands of times: a deliberately slow password hash would dominate the run.
django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 3
        ):
            return True
    except OSError:
        return False


def missing_services() -> list[str]:
    """What the integration and browser tests need and this machine lacks, in words."""
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL does not point at PostgreSQL")
    elif not _reachable(database_url, 5432):
        problems.append(
            f"PostgreSQL at DATABASE_URL ({urlparse(database_url).netloc}) is unreachable"
        )
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        problems.append("REDIS_URL is not set")
    elif not _reachable(redis_url, 6379):
        problems.append(f"Redis at REDIS_URL ({urlparse(redis_url).netloc}) is unreachable")
    if not shutil.which(CHROMIUM):
        problems.append(f"Chromium is not installed at {CHROMIUM}")
    return problems


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and (problems := missing_services()):
        # In CI a missing service fails the run instead of skipping what needs it.
        pytest.exit("CI=true but: " + "; ".join(problems), returncode=3)


def require_services(*needed: str) -> None:
    """Skip (outside CI) a test whose services are missing; CI never gets here without them."""
    problems = [p for p in missing_services() if any(word in p for word in needed)]
    if problems:
        pytest.skip("; ".join(problems))


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Rows data migrations create (roles, release calendar) are wiped by transactional tests'
    flush; put them back for every test that uses the database."""
    if request.node.get_closest_marker("django_db") is None and not {
        "db",
        "transactional_db",
    } & set(request.fixturenames):
        return
    request.getfixturevalue("db")
    from django.contrib.auth.models import Group

    from roadmap.importers.release_calendar import load_release_calendar
    from roadmap.models import Milestone, Series

    for role in permissions.ROLES:
        Group.objects.get_or_create(name=role)
    if not Series.objects.exists():
        load_release_calendar(Series, Milestone)


TEST_USERNAMES = ("alice-admin", "larry-lead", "betty-board", "mike-member", "admin", "member")


@pytest.fixture(autouse=True)
def _fresh_signin_limits():
    """Failed sign-ins are counted in Redis across runs; every test starts with a clean slate."""
    from dashboard.signin import reset_failures

    for username in TEST_USERNAMES:
        reset_failures("127.0.0.1", username)


def _make_user(django_user_model, username: str, role: str | None):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])  # flushed by transactional tests
    return user


@pytest.fixture
def admin_user(db, django_user_model):
    return _make_user(django_user_model, "alice-admin", permissions.CLOUD_ADMIN)


@pytest.fixture
def lead_user(db, django_user_model):
    return _make_user(django_user_model, "larry-lead", permissions.PROJECT_LEAD)


@pytest.fixture
def board_user(db, django_user_model):
    return _make_user(django_user_model, "betty-board", permissions.BOARD_MEMBER)


@pytest.fixture
def member_user(db, django_user_model):
    return _make_user(django_user_model, "mike-member", None)


@pytest.fixture
def superuser_user(db, django_user_model):
    """Django's superuser, in no role group: it holds every permission, the board's included."""
    return django_user_model.objects.create_superuser(username="sam-superuser", password="pw-sam")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(admin_user) -> Client:  # noqa: F811 - replaces pytest-django's superuser client
    return _client_for(admin_user)


@pytest.fixture
def lead_client(lead_user) -> Client:
    return _client_for(lead_user)


@pytest.fixture
def board_client(board_user) -> Client:
    return _client_for(board_user)


@pytest.fixture
def member_client(member_user) -> Client:
    return _client_for(member_user)


@pytest.fixture
def superuser_client(superuser_user) -> Client:
    return _client_for(superuser_user)


@pytest.fixture
def anon_client(db) -> Client:
    return Client()


@pytest.fixture
def role_client(request, admin_client, lead_client, board_client, member_client, anon_client):
    """Parametrize indirectly with a role name: admin, lead, board, member or anon."""
    return {
        "admin": admin_client,
        "lead": lead_client,
        "board": board_client,
        "member": member_client,
        "anon": anon_client,
    }[request.param]
