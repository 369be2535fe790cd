"""The served schema tells a generated client what it will get: JSON request bodies (multipart
only where a file is uploaded), and our one error body on 400/401/403/404 of every operation."""

import pytest

pytestmark = pytest.mark.django_db
METHODS = {"get", "post", "put", "patch", "delete"}
ERRORS = {"$ref": "#/components/schemas/ErrorList"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_declares_the_error_body_on_400_401_403_404(schema):
    missing = [
        (name, code)
        for name, operation in operations(schema)
        for code in ("400", "401", "403", "404")
        if operation["responses"]
        .get(code, {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
        != ERRORS
    ]
    assert not missing, missing[:10]
    error = schema["components"]["schemas"]["ErrorList"]
    assert error["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/Error"}


def test_request_bodies_are_json_only_and_the_upload_is_described(schema):
    offered = {
        name: sorted(operation["requestBody"]["content"])
        for name, operation in operations(schema)
        if "requestBody" in operation
    }
    assert offered  # the API has writes
    assert {name: t for name, t in offered.items() if t != ["application/json"]} == {}
    upload = schema["paths"]["/api/v1/blueprints/import/"]["post"]
    assert "multipart/form-data with a `file` part" in upload["description"]
    body = upload["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "file" not in schema["components"]["schemas"][body.rsplit("/", 1)[-1]]["properties"]
