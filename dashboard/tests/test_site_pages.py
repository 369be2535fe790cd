"""The site's own answers: 404 and 500 pages in the layout, the favicon, the skip link."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_the_custom_404_in_the_site_layout(member_client):
    response = member_client.get("/no/such/<page>/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found · Stackboard</title>" in html
    assert '<header class="container-fluid site-header">' in html and 'href="#content"' in html
    assert "<code>/no/such/&lt;page&gt;/</code>" in html
    assert 'href="/clouds/"' in html


def test_an_unknown_api_path_stays_json(member_client):
    response = member_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] is None


@pytest.mark.urls("dashboard.tests.raising_urls")
def test_a_failing_view_is_the_custom_500_in_the_site_layout(member_client):
    member_client.raise_request_exception = False

    response = member_client.get("/fail/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Server error · Stackboard</title>" in html
    assert '<header class="container-fluid site-header">' in html
    assert "Something went wrong on our side" in html
    assert "the view broke" not in html and "Traceback" not in html


@pytest.mark.urls("dashboard.tests.raising_urls")
def test_the_500_page_renders_while_the_database_is_unreachable(member_client, django_db_blocker):
    member_client.raise_request_exception = False
    member_client.get("/")  # the session exists: a page with the user in it would query for them

    with django_db_blocker.block():
        response = member_client.get("/fail/")

    assert response.status_code == 500
    assert b"Server error" in response.content


def test_favicon_ico_redirects_to_the_svg_the_layout_links(anon_client):
    response = anon_client.get("/favicon.ico")

    assert response.status_code == 302
    assert re.fullmatch(r"/static/favicon(\.[0-9a-f]+)?\.svg", response["Location"])
    html = anon_client.get("/").content.decode()
    assert f'<link rel="icon" href="{response["Location"]}" type="image/svg+xml">' in html


def test_the_skip_link_is_the_first_focusable_element_and_targets_the_main_content(anon_client):
    html = anon_client.get("/").content.decode()

    body = html.split("<body", 1)[1]
    first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
    assert 'href="#content"' in first
    assert re.search(r'<main [^>]*id="content"', body)
    assert ">Skip to content</a>" in body


def test_the_menu_button_controls_the_site_navigation(db):
    html = Client().get("/").content.decode()

    button = re.search(r"<button [^>]*aria-controls=\"site-nav\"[^>]*>Menu</button>", html)
    assert button and 'aria-expanded="true"' in button.group(0)
    assert '<ul class="site-nav" id="site-nav">' in html
