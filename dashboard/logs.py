"""Structured logs: one line per HTTP request and per Celery task run, each line (and every other
line logged meanwhile) carrying the id of the request that caused it. JSON or text: settings."""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from celery import signals
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
TASK_HEADER = "request_id"  # the Celery message header that carries it to the worker
# A proxy's or client's id is kept if it could not smuggle anything into a log line.
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
request_logger = logging.getLogger("stackboard.request")
task_logger = logging.getLogger("stackboard.task")


@contextmanager
def request_id_bound(request_id: str | None) -> Iterator[None]:
    """Everything logged (and every task enqueued) inside carries `request_id`."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on each record (none outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


def json_formatter() -> JsonFormatter:
    """One JSON object per line: timestamp, level, logger, message and the record's extras."""
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp=True,
        # Extras that do not belong in a log line: Django's request object (its repr holds the
        # query string), runserver's socket handler, Celery's task arguments and return value.
        reserved_attrs=[*RESERVED_ATTRS, "request", "server_time", "data"],
    )


def text_formatter() -> logging.Formatter:
    return logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        defaults={"request_id": "-"},
    )


class RequestLogMiddleware:
    """Outermost middleware: gives each request an id (the client's X-Request-ID when well-formed),
    echoes it in the response and logs one line when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _WELL_FORMED_ID.fullmatch(incoming) else uuid.uuid4().hex
        started = time.perf_counter()
        with request_id_bound(request_id):
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            # Never the query string, headers, cookies or body: they may hold credentials.
            path = quote(request.path, safe="/:@!$&'()*+,;=-._~")
            user = _username(request)
            request_logger.info(
                "%s %s %s %.1f ms %s",
                *(request.method, path, response.status_code, duration_ms, user),
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user": user,
                },
            )
        return response


def _username(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)  # absent when a middleware answered before auth
    if user is None:
        return None
    try:
        return user.username if user.is_authenticated else "anonymous"
    except DatabaseError:
        # The database is down (the health check answers 503): the line still gets written.
        return None


_task_runs: dict[str, tuple[float, contextvars.Token]] = {}


@signals.before_task_publish.connect
def _carry_request_id(headers: dict | None = None, **_) -> None:
    request_id = _request_id.get()
    if request_id is not None and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


@signals.task_prerun.connect
def _start_task_run(task_id: str, task, **_) -> None:
    # In-process (eager) tasks run inside the request that enqueued them: its id stays.
    request_id = (task.request.headers or {}).get(TASK_HEADER) or _request_id.get()
    _task_runs[task_id] = (time.perf_counter(), _request_id.set(request_id))


@signals.task_postrun.connect
def _log_task_run(task_id: str, task, state: str | None = None, **_) -> None:
    run = _task_runs.pop(task_id, None)
    if run is None:
        return
    started, token = run
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    task_logger.log(
        logging.ERROR if state == "FAILURE" else logging.INFO,
        "%s %s %s %.1f ms",
        *(task.name, task_id, state, duration_ms),
        extra={"task": task.name, "task_id": task_id, "status": state, "duration_ms": duration_ms},
    )
    _request_id.reset(token)
