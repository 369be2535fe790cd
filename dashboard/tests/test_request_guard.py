"""A NUL character anywhere in a request is a 400 naming where it was, never a database error
(PostgreSQL text cannot hold one; the API fuzzer found the 500 this prevents)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/roadmap/projects/a%00b/",
        "/api/v1/projects/a%00b/",
        "/clouds/some-cloud/hosts/a%00b/",
        "/api/v1/clouds/some-cloud/hosts/a%00b/",
    ],
)
def test_a_nul_in_the_path_is_a_400(admin_client, path):
    response = admin_client.get(path)

    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json() == {
            "errors": [{"field": "path", "message": "NUL characters are not allowed."}]
        }
    else:
        assert b"path: NUL characters are not allowed." in response.content


def test_a_nul_in_a_query_parameter_names_the_parameter(admin_client):
    response = admin_client.get("/api/v1/blueprints/?project=nova&q=a%00b")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "q", "message": "NUL characters are not allowed."}
    ]


def test_a_nul_in_a_posted_page_form_is_refused(admin_client):
    response = admin_client.post("/clouds/new/", {"slug": "x", "name": "a\x00b"})

    assert response.status_code == 400
    assert b"name: NUL characters are not allowed." in response.content


@pytest.mark.parametrize("content_type", ["application/json", None])
def test_a_nul_in_an_api_body_names_the_field(board_client, content_type):
    body = {"item": 1, "owner": "a\x00b", "description": "follow up"}
    kwargs = {"content_type": content_type} if content_type else {}

    response = board_client.post("/api/v1/board/action-items/", body, **kwargs)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "owner", "message": "NUL characters are not allowed."}
    ]


def test_a_nul_deep_in_a_json_body_is_named_by_its_path(admin_client):
    response = admin_client.post(
        "/api/v1/clouds/c/placement-preview/",
        {"flavor": "1", "changes": [{"action": "add_host", "host": "h\x00"}]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "changes[0].host"
