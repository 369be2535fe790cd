"""Capacity planning pages (cloud admins): a drain plan of hosts, an aggregate or a zone."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from aggregates import preview, services
from aggregates.errors import InvalidInput
from aggregates.preview.loader import load_cloud
from aggregates.scheduling import availability_zones
from aggregates.views.common import cloud_of, csv_response
from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, paginate

admins_only = permissions.page_requires(permissions.can_preview_placement)
KINDS = {"host": "hosts", "aggregate": "aggregate", "zone": "zone"}


@admins_only
@require_GET
def drain_plan_page(request: HttpRequest, slug: str) -> HttpResponse:
    """`?drain=host:NAME` (repeatable) | `aggregate:ID` | `zone:NAME`, `changes` = what-if JSON."""
    cloud = cloud_of(request, slug)
    inputs = load_cloud(cloud, with_servers=True)  # once, for the choices and the plan
    context = {
        "cloud": cloud,
        "choices": _choices(inputs),
        "chosen": request.GET.getlist("drain"),
        "changes": request.GET.get("changes", ""),
        "outcome": None,
        "error": None,
    }
    status = 200
    if context["chosen"]:
        try:
            outcome = preview.run_drain(cloud, _query(request), inputs=inputs)
        except DomainError as error:
            context["error"], status = error, 422
        else:
            context["outcome"] = outcome
            context["rows"] = preview.plan_rows(outcome.plan)
            context["export_query"] = request.GET.urlencode()
    return render(request, "aggregates/drain_plan.html", context, status=status)


@admins_only
@require_GET
def drain_plan_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The same plan as CSV, one row per server in the plan's order."""
    cloud = cloud_of(request, slug)
    try:
        outcome = preview.run_drain(cloud, _query(request))
    except DomainError as error:
        return HttpResponse(
            f"{error.field}: {error.message}", status=400, content_type="text/plain"
        )
    rows = [preview.CSV_HEADER, *preview.plan_rows(outcome.plan)]
    return csv_response(f"{cloud.slug}-drain-plan.csv", rows)


def _query(request: HttpRequest) -> preview.DrainQuery:
    """The drain targets of the query string; mixing kinds is the service's 400, as in the API."""
    targets: dict[str, list[str]] = {}
    for value in request.GET.getlist("drain"):
        kind, _, name = value.partition(":")
        if kind not in KINDS or not name:
            raise InvalidInput(
                f"'{value}' is not host:NAME, aggregate:ID or zone:NAME.", field="drain"
            )
        targets.setdefault(KINDS[kind], []).append(name)
    raw_changes = request.GET.get("changes", "").strip()
    try:
        changes = json.loads(raw_changes) if raw_changes else []
    except ValueError as exc:
        raise InvalidInput("'changes' must be a JSON list of changes.", field="changes") from exc
    return preview.DrainQuery(
        hosts=targets.get("hosts"),
        aggregate=(targets.get("aggregate") or [None])[0],
        zone=(targets.get("zone") or [None])[0],
        changes=preview.validate_changes(changes),
    )


def _choices(inputs) -> list[tuple[str, list[tuple[str, str]]]]:
    zones = availability_zones(inputs.hosts, inputs.aggregates, inputs.config)
    return [
        (
            "Availability zones",
            [(f"zone:{z.name}", f"{z.name} ({len(z.hosts)} hosts)") for z in zones],
        ),
        (
            "Aggregates",
            [(f"aggregate:{a.id}", f"{a.name} ({len(a.hosts)} hosts)") for a in inputs.aggregates],
        ),
        ("Hosts", [(f"host:{h.name}", h.name) for h in inputs.hosts]),
    ]


@admins_only
@require_GET
@vary_on_headers("HX-Request")
def resilience_page(request: HttpRequest, slug: str) -> HttpResponse:
    """N+1 (`?level=host|zone`): the worker's answer, or its progress, polled while it runs;
    after a failed run, `?retry=1` starts a new one."""
    cloud = cloud_of(request, slug)
    level = request.GET.get("level", "host")
    if level not in preview.LEVELS:
        level = "host"
    context = {"cloud": cloud, "level": level, "levels": preview.LEVELS}
    try:
        context["state"] = services.request_resilience(
            cloud, level, retry=request.GET.get("retry") == "1"
        )
    except DomainError as error:
        context["error"] = error
    partial = "aggregates/partials/_resilience.html"
    template = partial if is_partial(request) else "aggregates/resilience.html"
    return render(request, template, context)


# The two per-server questions: the preview of the server's own request, explained host by host.
QUESTIONS = {
    "migration-targets": (preview.migration_targets, "Migration targets"),
    "failure": (preview.explain_failure, "Why did this server fail"),
}
HOST_CSV_HEADER = ("host", "passes", "rejected by", "reason", "rank", "weight", "slots")


def _answer(cloud, question: str, server_uuid: str, at: str):
    """The server, its preview outcome, the steps by hosts rejected (most first), host rows.
    `at` (a failure only): replay on the cloud as it is now, or as it stood at the boot."""
    ask, _ = QUESTIONS[question]
    server, outcome = (
        ask(cloud, server_uuid, at) if question == "failure" else ask(cloud, server_uuid)
    )
    rejected = outcome.result.summary.rejected_by
    steps = [
        (step, count) for step, count in sorted(rejected.items(), key=lambda i: -i[1]) if count
    ]
    order = {step: position for position, (step, _) in enumerate(steps)}
    rows = []
    for host in outcome.result.hosts:
        verdict = host.verdict
        rows.append(
            (
                host.host,
                "yes" if verdict.failed is None else "no",
                verdict.failed_filter or "",
                verdict.reason,
                host.rank or "",
                "" if host.weight is None else f"{host.weight:.4f}",
                "" if host.slots is None else host.slots,
            )
        )
    # Passing hosts by rank; then rejected ones, the step that rejected most hosts first.
    rows.sort(key=lambda r: (r[1] == "no", order.get(r[2], len(order)), r[4] or 0, r[0]))
    return server, outcome, steps, rows


@admins_only
@require_GET
def server_question_page(request: HttpRequest, slug: str, server_uuid: str, question: str):
    """Where a server could migrate to, or why it failed: every host's verdict, paginated."""
    cloud = cloud_of(request, slug)
    at = request.GET.get("at", "now")
    context = {"cloud": cloud, "question": question, "title": QUESTIONS[question][1], "at": at}
    try:
        server, outcome, steps, rows = _answer(cloud, question, server_uuid, at)
    except DomainError as error:
        context["error"] = error
        return render(
            request, "aggregates/server_question.html", context, status=error.status or 422
        )
    context.update(
        server=server,
        outcome=outcome,
        summary=outcome.result.summary,
        steps=steps,
        page=paginate(request, rows),
    )
    return render(request, "aggregates/server_question.html", context)


@admins_only
@require_GET
def server_question_export(request: HttpRequest, slug: str, server_uuid: str, question: str):
    """The same answer as CSV: one row per host, in the page's order."""
    cloud = cloud_of(request, slug)
    try:
        server, _, _, rows = _answer(cloud, question, server_uuid, request.GET.get("at", "now"))
    except DomainError as error:
        return HttpResponse(
            f"{error.field}: {error.message}", status=error.status, content_type="text/plain"
        )
    return csv_response(f"{cloud.slug}-{server.uuid}-{question}.csv", [HOST_CSV_HEADER, *rows])
