"""Structured logs: one line per request and per task run, with the request id that caused it."""

import copy
import io
import json
import logging
import logging.config
import re

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from dashboard import services
from dashboard.tasks import record_worker_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured_log():
    """What the site's console handler would print, in the format asked for: `read(format)`."""
    streams = {}
    root = logging.getLogger()
    handlers = []
    for name in ("json", "text"):
        config = copy.deepcopy(settings.LOGGING)  # the configurator consumes what it reads
        configurator = logging.config.DictConfigurator(config)
        streams[name] = io.StringIO()
        handler = logging.StreamHandler(streams[name])
        handler.setFormatter(configurator.configure_formatter(config["formatters"][name]))
        for filter_name in config["handlers"]["console"]["filters"]:
            handler.addFilter(configurator.configure_filter(config["filters"][filter_name]))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        handlers.append(handler)
    try:
        yield lambda name: streams[name].getvalue()
    finally:
        for handler in handlers:
            root.removeHandler(handler)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def request_lines(text: str) -> list[dict]:
    return [line for line in json_lines(text) if line.get("logger") == "stackboard.request"]


def test_a_request_logs_exactly_one_json_line_with_its_id_user_status_and_duration(
    member_client, captured_log
):
    response = member_client.get("/profile/")

    assert response.status_code == 200
    (line,) = request_lines(captured_log("json"))
    assert line["method"] == "GET"
    assert line["path"] == "/profile/"
    assert line["status"] == 200
    assert line["user"] == "mike-member"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO"


def test_an_anonymous_request_is_logged_as_anonymous(anon_client, captured_log):
    anon_client.get("/health/")

    (line,) = request_lines(captured_log("json"))
    assert line["user"] == "anonymous"
    assert line["path"] == "/health/"


def test_an_api_request_names_the_token_s_user_and_logs_no_secret(member_user, captured_log):
    _, key = services.create_api_token(member_user, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.cookies["sessionid"] = "a-session-cookie-value"

    response = client.get("/api/v1/me/?secret=query-string-value")

    assert response.status_code == 200
    (line,) = request_lines(captured_log("json"))
    assert line["user"] == "mike-member"
    assert line["path"] == "/api/v1/me/"
    for secret in (key, "a-session-cookie-value", "query-string-value"):
        assert secret not in captured_log("json") + captured_log("text")


def test_a_sign_in_logs_neither_the_password_nor_the_body(member_user, captured_log):
    client = Client()
    client.get("/sign-in/")

    client.post("/sign-in/", {"username": "mike-member", "password": "pw-mike-member"})

    logged = captured_log("json") + captured_log("text")
    assert "pw-mike-member" not in logged
    assert client.cookies["csrftoken"].value not in logged
    assert [line["status"] for line in request_lines(captured_log("json"))] == [200, 302]


def test_the_text_format_is_one_readable_line(member_client, captured_log):
    response = member_client.get("/profile/")

    (line,) = [ln for ln in captured_log("text").splitlines() if "stackboard.request" in ln]
    request_id = response["X-Request-ID"]
    assert re.search(
        rf"INFO stackboard\.request \[{request_id}\] GET /profile/ 200 \d+\.\d ms mike-member$",
        line,
    ), line


def test_a_well_formed_incoming_request_id_is_kept_and_echoed(anon_client, captured_log):
    incoming = "edge-5f0c2a1e.7b:01"

    response = anon_client.get("/health/", headers={"X-Request-ID": incoming})

    assert response["X-Request-ID"] == incoming
    assert request_lines(captured_log("json"))[0]["request_id"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["x" * 129, "abc\ndef", "abc\x00def", "abc def", "abc\x1b[31mred", "ünïcode", ""],
    ids=["too-long", "newline", "nul", "space", "escape", "non-ascii", "empty"],
)
def test_a_malformed_incoming_request_id_is_replaced(anon_client, captured_log, incoming):
    response = anon_client.get("/health/", headers={"X-Request-ID": incoming})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert request_lines(captured_log("json"))[0]["request_id"] == response["X-Request-ID"]


def test_every_request_gets_an_id_of_its_own(anon_client):
    first = anon_client.get("/health/")["X-Request-ID"]
    second = anon_client.get("/health/")["X-Request-ID"]

    assert first != second


@pytest.mark.urls("dashboard.tests.raising_urls")
def test_an_error_is_logged_with_the_request_id_of_its_request(captured_log):
    client = Client(raise_request_exception=False)

    response = client.get("/fail/")

    assert response.status_code == 500
    lines = json_lines(captured_log("json"))
    (error,) = [line for line in lines if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert "RuntimeError: the view broke" in error["exc_info"]
    assert error["request_id"] == response["X-Request-ID"]
    assert "request" not in error  # Django's extra: the request object, query string included
    (line,) = request_lines(captured_log("json"))
    assert line["status"] == 500
    assert line["request_id"] == response["X-Request-ID"]


def task_lines(text: str) -> list[dict]:
    return [line for line in json_lines(text) if line.get("logger") == "stackboard.task"]


def test_a_task_run_logs_one_line_with_its_name_id_status_and_duration(captured_log):
    result = record_worker_heartbeat.apply()

    (line,) = task_lines(captured_log("json"))
    assert line["task"] == "dashboard.tasks.record_worker_heartbeat"
    assert line["task_id"] == result.id
    assert line["status"] == "SUCCESS"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_a_task_run_carries_the_request_id_that_enqueued_it(captured_log):
    record_worker_heartbeat.apply(headers={"request_id": "req-from-the-web"})

    (line,) = task_lines(captured_log("json"))
    assert line["request_id"] == "req-from-the-web"


def test_a_failed_task_run_logs_its_failure_with_its_request_id(captured_log):
    result = record_worker_heartbeat.apply(
        args=["unexpected"], headers={"request_id": "req-1"}, throw=False
    )

    assert result.failed()
    (line,) = task_lines(captured_log("json"))
    assert line["status"] == "FAILURE"
    assert line["level"] == "ERROR"
    assert line["request_id"] == "req-1"


def test_the_text_format_of_a_task_run_is_one_readable_line(captured_log):
    result = record_worker_heartbeat.apply(headers={"request_id": "req-2"})

    (line,) = [ln for ln in captured_log("text").splitlines() if "stackboard.task" in ln]
    assert re.search(
        rf"INFO stackboard\.task \[req-2\] dashboard\.tasks\.record_worker_heartbeat "
        rf"{result.id} SUCCESS \d+\.\d ms$",
        line,
    ), line
