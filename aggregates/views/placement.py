"""Placement preview page (admins): inputs in the query string, host map, why-not, what-if."""

import json
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from aggregates import preview, services
from aggregates.forms import (
    ChangeForm,
    PreviewForm,
    RemoveChangeForm,
    SchedulerConfigForm,
    by_size,
)
from aggregates.preview.host_layout import map_layout
from aggregates.preview.loader import CloudInputs, load_cloud, scheduler_config, scheduler_options
from aggregates.scheduling import (
    AVAILABLE_FILTERS,
    DEFAULT_ENABLED_FILTERS,
)
from aggregates.views import placement_map as host_map
from aggregates.views.common import cloud_of
from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, leave_page

admins_only = permissions.page_requires(permissions.can_preview_placement)
INPUTS = ("flavor", "az", "project", "image", "hints", "changes")


@admins_only
@require_GET
@vary_on_headers("HX-Request")
def placement_preview_page(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    data = request.GET.copy()
    try:
        inputs = load_cloud(cloud, with_servers=bool(data.get("hints", "").strip()))
    except DomainError as error:
        inputs, load_error = None, error
    else:
        load_error = None
        if "flavor" not in data and inputs.flavors:
            data["flavor"] = by_size(inputs.flavors)[0].id
    context = _page_context(request, cloud, inputs, data, load_error)
    change_form = ChangeForm(request.GET if "action" in request.GET else None)
    if change_form.is_bound and change_form.is_valid() and context.get("form") is not None:
        outcome = context.get("outcome")
        change = change_form.change(outcome.flavor if outcome is not None else None)
        try:
            preview.validate_changes([change])
        except DomainError as error:
            change_form.add_error(*_change_line_error(error))
        else:
            # "Add change": the new change joins the set in the query string, then the page
            # reloads; a new flavor becomes the one previewed.
            params = {key: data.get(key, "") for key in INPUTS}
            params["changes"] = json.dumps([*context.get("changes", []), change])
            if change["action"] == "create_flavor":
                params["flavor"] = change.get("flavor_id") or change["name"]
            target = reverse("aggregates:placement_preview", args=[cloud.slug])
            return redirect(f"{target}?{urlencode(params)}")
    context["change_form"] = change_form if change_form.is_bound else ChangeForm()
    context["kept_inputs"] = [(key, data.get(key, "")) for key in INPUTS]
    status = 422 if context.get("errors_present") or change_form.errors else 200
    partial = "aggregates/partials/_placement_preview.html"
    template = partial if is_partial(request) else "aggregates/placement_preview.html"
    return render(request, template, context, status=status)


# Where a change's field goes on the change line (sizes are typed as one "size" field).
CHANGE_LINE_FIELDS = {"vcpus": "size", "ram": "size", "disk": "size", "metadata": "key"}
CHANGE_LINE_FIELDS |= {"keys": "key", "extra_specs": "key", "flavor": None}


def _change_line_error(error: DomainError) -> tuple[str | None, str]:
    """A refusal of the one change being added, as (change-form field, message)."""
    prefix = "changes[0]"
    name = (error.field or "").removeprefix(prefix).lstrip(".")
    field = CHANGE_LINE_FIELDS.get(name, name if name in ChangeForm.base_fields else None)
    message = error.message.removeprefix(f"{prefix}.").removeprefix(prefix).lstrip(": ")
    return field, message


def _page_context(
    request: HttpRequest, cloud, inputs: CloudInputs | None, data, error: DomainError | None
) -> dict:
    """The page's context from the cloud loaded once (`inputs`; None when loading failed)."""
    config = inputs.config if inputs is not None else scheduler_config(cloud)
    flavors = inputs.flavors if inputs is not None else {}
    outcome = None
    zones: list[str] = []
    form = None
    pending: list = []
    try:
        if inputs is None:
            raise error
        # Zone names come from the cloud's hosts and aggregates (the engine's own derivation).
        zones = map_layout(inputs)[1].zones
        form = PreviewForm(data, flavors=flavors)
        if flavors and form.is_valid():
            query = preview.PreviewQuery(
                flavor=form.cleaned_data["flavor"],
                availability_zone=form.cleaned_data["az"] or None,
                project_id=form.cleaned_data["project"],
                image_properties=form.cleaned_data["image"],
                hints=form.cleaned_data["hints"],
                changes=form.cleaned_data["changes"],
            )
            outcome = preview.run_preview(cloud, query, inputs=inputs)
            form.offer_flavors(outcome.inputs.flavors)
        pending = _changes(form)
    except DomainError as exc:
        error = exc
        pending = _changes(form)  # add_error drops the field's value: the lines still show
        if form is not None:
            field = (exc.field or "").split(".", 1)[0].split("[", 1)[0]
            field = {"availability_zone": "az", "hints": "hints", "changes": "changes"}.get(
                field, field
            )
            form.add_error(field if field in form.fields else None, exc.message)
    context = {
        "cloud": cloud,
        "form": form,
        "flavors": flavors,
        "zones": zones,
        "config": config,
        "outcome": outcome,
        "error": error,
        "errors_present": bool(form is not None and form.errors),
        "changes": pending,
        "query_string": urlencode({key: data.get(key, "") for key in INPUTS}),
    }
    context["change_rows"] = _change_rows(context["changes"], inputs, outcome, error)
    if outcome is not None:
        context.update(_result_context(outcome, data.get("host", "").strip()))
    return context


def _change_rows(
    changes: list, inputs: CloudInputs | None, outcome, error: DomainError | None
) -> list[dict]:
    """Each pending change in words, beside Nova's refusal of it (the after side leaves it out)
    or the error that names its line; a change too malformed to word is shown as it came."""
    refused = {r.position: r for r in outcome.refusals} if outcome is not None else {}
    bad_line = re.match(r"changes\[(\d+)\]", (error.field or "") if error else "")
    aggregates = inputs.aggregates if inputs is not None else ()
    flavors = outcome.inputs.flavors if outcome is not None else (inputs.flavors if inputs else {})
    rows = []
    for position, change in enumerate(changes):
        try:
            preview.validate_changes([change])
            words = preview.describe_change(change, aggregates=aggregates, flavors=flavors)
        except DomainError:
            words = json.dumps(change)
        line_error = error.message if bad_line and int(bad_line[1]) == position else None
        rows.append(
            {
                "position": position,
                "words": words,
                "refusal": refused.get(position),
                "error": line_error,
            }
        )
    return rows


def _changes(form: PreviewForm | None) -> list:
    cleaned = getattr(form, "cleaned_data", None) or {}
    changes = cleaned.get("changes")
    return changes if isinstance(changes, list) else []


def _result_context(outcome: preview.PreviewOutcome, selected: str) -> dict:
    result = outcome.result
    detail = _host_detail(outcome, selected) if selected else None
    summary = result.summary
    return {
        "result": result,
        "summary": summary,
        "rejections": [(name, count) for name, count in summary.rejected_by.items() if count],
        "host_map": host_map.compact_map(outcome),
        "ranking": result.top(20),
        "detail": detail,
        "selected": selected,
        "comparison": outcome.comparison,
        "before": outcome.before,
    }


def _host_detail(outcome: preview.PreviewOutcome, name: str) -> dict:
    """One host's every-step verdict and weights (the why-not answer), or what was missing."""
    try:
        host = outcome.result.host(name)
    except KeyError:
        return {"missing": name}
    table, layout = map_layout(outcome.inputs)
    position = table.positions()[name]
    return {
        "host": host,
        "zone": layout.zone_of(position),
        "aggregates": layout.aggregates_of(position),
        "weights": outcome.result.weight_breakdown(name),
    }


@admins_only
@require_GET
def placement_preview_host(request: HttpRequest, slug: str) -> HttpResponse:
    """One host's explanation as a page fragment: the map's hover/click and the why-not box."""
    cloud = cloud_of(request, slug)
    data = request.GET.copy()
    name = data.get("host", "").strip()
    if not name:
        return HttpResponseBadRequest("host: name a host.", content_type="text/plain")
    try:
        inputs = load_cloud(cloud, with_servers=bool(data.get("hints", "").strip()))
    except DomainError as error:
        return HttpResponseBadRequest(error.message, content_type="text/plain")
    if "flavor" not in data and inputs.flavors:
        data["flavor"] = by_size(inputs.flavors)[0].id
    context = _page_context(request, cloud, inputs, data, None)
    if context.get("outcome") is None:
        message = (
            "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in context["form"].errors.items()
            )
            if context.get("form") is not None
            else "nothing to preview"
        )
        return HttpResponseBadRequest(message or "nothing to preview", content_type="text/plain")
    context["detail"] = _host_detail(context["outcome"], name)
    return render(request, "aggregates/partials/_placement_host.html", context)


@admins_only
@require_POST
def placement_preview_remove_change(request: HttpRequest, slug: str) -> HttpResponse:
    """Drop one pending change; the page reloads with the rest (the set lives in its address)."""
    cloud = cloud_of(request, slug)
    form = RemoveChangeForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return HttpResponseBadRequest(f"{field}: {' '.join(errors)}", content_type="text/plain")
    changes = form.cleaned_data["changes"]
    removed = changes.pop(form.cleaned_data["position"])
    params = {key: request.POST.get(key, "") for key in INPUTS}
    params["changes"] = json.dumps(changes) if changes else ""
    if _creates_flavor(removed, params["flavor"]):
        params.pop("flavor")  # that flavor is gone with its change: preview the smallest
    target = reverse("aggregates:placement_preview", args=[cloud.slug])
    return leave_page(request, f"{target}?{urlencode(params)}")


def _creates_flavor(change, flavor_id: str) -> bool:
    if not isinstance(change, dict) or change.get("action") != "create_flavor":
        return False
    return flavor_id == str(change.get("flavor_id") or change.get("name"))


@admins_only
@require_POST
def placement_preview_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Commit the pending change set through the services; a refusal re-renders with it (422)."""
    cloud = cloud_of(request, slug)
    target = reverse("aggregates:placement_preview", args=[cloud.slug])
    keep = {key: request.POST.get(key, "") for key in INPUTS if key != "changes"}
    try:
        changes = json.loads(request.POST.get("changes") or "[]")
        applied = services.apply_changes(cloud, changes, actor=request.user)
    except ValueError:
        messages.error(request, "The change set is not valid JSON.")
    except DomainError as error:
        messages.error(request, f"Nothing was applied. {error.message}")
        keep["changes"] = request.POST.get("changes", "")
        return redirect(f"{target}?{urlencode(keep)}")
    else:
        messages.success(request, f"Applied {applied} change(s).")
    return redirect(f"{target}?{urlencode(keep)}")


def scheduler_lines(cloud) -> str:
    lines = []
    for key, value in scheduler_options(cloud).items():
        if key == "default_availability_zone" and value == "nova":
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(value)
        lines.append(f"{key} = {value}")
    return "\n".join(lines)


@permissions.page_requires(permissions.can_manage_clouds)
@require_http_methods(["GET", "POST"])
def cloud_scheduler(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    form = SchedulerConfigForm(request.POST or None, initial={"options": scheduler_lines(cloud)})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_scheduler_config(
                cloud, form.cleaned_data["options"], actor=request.user, replace=True
            )
        except DomainError as error:
            form.add_error("options", f"{error.field}: {error.message}")
        else:
            messages.success(request, "Scheduler configuration saved.")
            return redirect("aggregates:cloud_scheduler", cloud.slug)
    context = {
        "cloud": cloud,
        "form": form,
        "config": scheduler_config(cloud),
        "default_filters": DEFAULT_ENABLED_FILTERS,
        "available_filters": sorted(AVAILABLE_FILTERS),
    }
    return render(
        request, "aggregates/cloud_scheduler.html", context, status=422 if form.errors else 200
    )
