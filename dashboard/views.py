"""Site-wide pages: overview, profile with API tokens, audit log, health."""

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dashboard import audit_changes, permissions, queries, services
from dashboard.errors import DomainError
from dashboard.filters import AuditEntryFilter
from dashboard.htmx import is_partial, paginate
from dashboard.models import WorkerHeartbeat
from dashboard.overview import tiles_for


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/overview.html", {"tiles": tiles_for(request)})


@permissions.signin_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def profile(request: HttpRequest) -> HttpResponse:
    """The user's roles and personal API tokens; creating one shows its key once."""
    context: dict = {"new_key": None, "error": None}
    status = 200
    if request.method == "POST":
        try:
            token, key = services.create_api_token(request.user, name=request.POST.get("name", ""))
        except DomainError as error:
            context["error"], status = error.message, 422
        else:
            context["new_key"] = key
            messages.success(request, f"Token “{token.name}” created. Copy the key now.")
    context["tokens"] = queries.tokens_of(request.user)
    context["roles"] = sorted(permissions.roles_of(request.user))
    template = (
        "dashboard/partials/_token_list.html" if is_partial(request) else "dashboard/profile.html"
    )
    return render(request, template, context, status=status)


@permissions.signin_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_api_token(request.user, token_id=token_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Token revoked.")
    if is_partial(request):
        context = {"tokens": queries.tokens_of(request.user), "new_key": None, "error": None}
        return render(request, "dashboard/partials/_token_list.html", context)
    return redirect("dashboard:profile")


@permissions.page_requires(permissions.can_view_audit_log)
@require_GET
@vary_on_headers("HX-Request")
def audit_log(request: HttpRequest) -> HttpResponse:
    entry_filter = AuditEntryFilter(request.GET, queryset=queries.audit_entries(request.user))
    page = paginate(request, entry_filter.qs)
    partial = "dashboard/partials/_audit_table.html"
    template = partial if is_partial(request) else "dashboard/audit_log.html"
    context = {"filter": entry_filter, "page": page, "entries": audit_changes.describe(page)}
    return render(request, template, context)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 otherwise."""
    checks: dict = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy; its text is the report
        checks["database"] = f"error: {exc.__class__.__name__}"
    last = (
        WorkerHeartbeat.objects.order_by("-seen_at").first() if checks["database"] == "ok" else None
    )
    checks["worker_last_seen"] = last.seen_at.isoformat() if last else None
    checks["time"] = timezone.now().isoformat()
    healthy = checks["database"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
