"""Site-wide pages: overview, sign-in, profile tokens, audit log, error pages, health."""

import re

import pytest
from django.urls import reverse

from dashboard.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db


def test_overview_and_sign_in_answer_anonymous_readers(anon_client):
    assert anon_client.get("/").status_code == 200
    response = anon_client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_sign_in_form_signs_a_user_in(anon_client, admin_user):
    response = anon_client.post(
        reverse("login"), {"username": "alice-admin", "password": "pw-alice-admin"}, follow=True
    )

    assert response.status_code == 200
    assert response.context["user"] == admin_user
    assert b"Audit log" in response.content  # the admin's navigation


def test_sign_in_with_a_wrong_password_says_so(anon_client, admin_user):
    response = anon_client.post(reverse("login"), {"username": "alice-admin", "password": "nope"})

    assert response.status_code == 200
    assert b"didn't match" in response.content


def test_api_docs_load_nothing_from_outside_the_site(anon_client):
    response = anon_client.get(reverse("api-docs"))

    assert response.status_code == 200
    external = re.findall(rb'(?:src|href)=["\'](https?://[^"\']+)', response.content)
    assert external == []
    assert b"/static/drf_spectacular_sidecar/" in response.content


def test_every_page_sends_the_csrf_token_on_htmx_requests(member_client):
    response = member_client.get("/")

    token = re.search(rb'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', response.content)
    assert token and len(token.group(1)) >= 32


@pytest.mark.parametrize("url_name", ["dashboard:profile", "dashboard:auditentry_list"])
def test_private_pages_send_anonymous_readers_to_sign_in(anon_client, url_name):
    response = anon_client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    ("role_client", "status"),
    [("member", 403), ("lead", 403), ("board", 403), ("admin", 200)],
    indirect=["role_client"],
)
def test_audit_log_page_is_for_admins(role_client, status):
    response = role_client.get(reverse("dashboard:auditentry_list"))

    assert response.status_code == status


def test_forbidden_page_is_friendly(member_client):
    response = member_client.get(reverse("dashboard:auditentry_list"))

    assert response.status_code == 403
    assert b"have access to this page" in response.content


def test_unknown_page_is_a_friendly_404(anon_client):
    response = anon_client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"There is no page at this address" in response.content


def test_creating_a_token_shows_the_key_once_and_stores_only_its_hash(member_client, member_user):
    response = member_client.post(reverse("dashboard:profile"), {"name": "ci-script"}, follow=True)

    key = re.search(rb"shown once\): <code>([^<]+)</code>", response.content).group(1).decode()
    token = ApiToken.objects.get(user=member_user)
    assert token.name == "ci-script"
    assert key not in (token.key_hash, token.prefix) and token.key_hash != key
    assert key.encode() not in member_client.get(reverse("dashboard:profile")).content


def test_creating_a_token_through_htmx_returns_the_token_list_fragment(member_client):
    response = member_client.post(
        reverse("dashboard:profile"), {"name": "laptop"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<div id="token-list">')
    assert b"<html" not in response.content


def test_a_token_without_a_name_is_refused_naming_the_problem(member_client, member_user):
    response = member_client.post(
        reverse("dashboard:profile"), {"name": "  "}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 422
    assert b"Give the token a name." in response.content
    assert not ApiToken.objects.filter(user=member_user).exists()


def test_revoking_a_token_deletes_it_and_audits_it(member_client, member_user):
    member_client.post(reverse("dashboard:profile"), {"name": "old"})
    token = ApiToken.objects.get(user=member_user)

    response = member_client.post(reverse("dashboard:apitoken_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="dashboard.apitoken").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete"]


def test_nobody_revokes_another_users_token(member_client, admin_client, admin_user):
    admin_client.post(reverse("dashboard:profile"), {"name": "admin-token"})
    token = ApiToken.objects.get(user=admin_user)

    member_client.post(reverse("dashboard:apitoken_revoke", args=[token.pk]))

    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_audit_log_page_lists_entries_with_before_and_after(admin_client, member_client):
    member_client.post(reverse("dashboard:profile"), {"name": "visible-in-audit"})

    response = admin_client.get(reverse("dashboard:auditentry_list"), {"action": "create"})

    assert response.status_code == 200
    assert b"visible-in-audit" in response.content
    assert b"mike-member" in response.content


def test_health_reports_the_database(anon_client):
    response = anon_client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", "Overview"),
        ("/clouds/", "Clouds"),
        ("/roadmap/", "Roadmap"),
        ("/meetups/", "Meetups"),
        ("/board/", "Board"),
        ("/board/items/", "Board"),
    ],
)
def test_the_navigation_marks_the_current_section_only(admin_client, path, section):
    html = admin_client.get(path).content.decode()

    assert re.findall(r'aria-current="page">([^<]+)</a>', html) == [section]
