"""Roadmap pages: index, blueprint list/detail/forms, project, series and milestone progress."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from dashboard import permissions
from dashboard.errors import DomainError
from dashboard.htmx import is_partial, paginate
from roadmap.filters.blueprints import BlueprintFilter
from roadmap.forms.blueprints import BlueprintForm, LaunchpadImportForm
from roadmap.importers import launchpad
from roadmap.models import Blueprint, Milestone, Project
from roadmap.queries import blueprints as queries
from roadmap.queries import deletes, reports
from roadmap.services import blueprints as services
from roadmap.views.editing import delete_page


@require_GET
def roadmap_index(request: HttpRequest) -> HttpResponse:
    context = {
        "projects": queries.projects_for_list(),
        "series": queries.series_for_list().filter(blueprints__isnull=False).distinct(),
        "all_series": queries.series_for_list().order_by("-release_date"),
        "can_create": permissions.can_edit_roadmap(request.user),
    }
    return render(request, "roadmap/index.html", context)


@require_GET
@vary_on_headers("HX-Request")
def blueprint_list(request: HttpRequest) -> HttpResponse:
    blueprint_filter = BlueprintFilter(request.GET, queryset=queries.blueprints_for_list())
    page = paginate(request, blueprint_filter.qs)
    partial = "roadmap/partials/_blueprint_table.html"
    template = partial if is_partial(request) else "roadmap/blueprint_list.html"
    context = {
        "filter": blueprint_filter,
        "page": page,
        "projects": queries.projects_for_list(),
        "all_series": queries.series_for_list().order_by("-release_date"),
        "can_create": permissions.can_edit_roadmap(request.user),
    }
    return render(request, template, context)


def _blueprint(project_name: str, name: str) -> Blueprint:
    return get_object_or_404(queries.blueprints_for_list(), project__name=project_name, name=name)


@require_GET
def blueprint_detail(request: HttpRequest, project_name: str, name: str) -> HttpResponse:
    bp = _blueprint(project_name, name)
    context = {
        "bp": bp,
        "depends_on": queries.dependency_graph(bp),
        "needed_by": queries.dependency_graph(bp, reverse=True),
        "history": bp.history.select_related("milestone", "actor").order_by("-changed_at", "-id"),
        "can_edit": permissions.can_edit_roadmap(request.user, bp.project),
    }
    return render(request, "roadmap/blueprint_detail.html", context)


def _form_page(request: HttpRequest, form: BlueprintForm, save, *, done: str, bp=None):
    """GET shows the form (htmx: only the milestone field, for the series chosen); POST saves
    through `save()` and redirects, or re-renders with 422.

    A service's refusal goes next to the field it names.
    """
    if request.method != "POST":
        if is_partial(request):
            context = {"field": form["milestone"]}
            return render(request, "roadmap/partials/_milestone_field.html", context)
        return render(request, "roadmap/blueprint_form.html", {"form": form, "bp": bp})
    if form.is_valid():
        try:
            saved = save()
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except ValidationError as error:
            problems = (
                error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            )
            for field, messages_ in problems.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            messages.success(request, f"Blueprint {saved.name} {done}.")
            return redirect("roadmap:blueprint_detail", saved.project.name, saved.name)
    return render(request, "roadmap/blueprint_form.html", {"form": form, "bp": bp}, status=422)


@permissions.page_requires(permissions.can_edit_roadmap)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def blueprint_create(request: HttpRequest) -> HttpResponse:
    projects = queries.projects_editable_by(request.user)
    initial = {key: request.GET.get(key) for key in ("project", "series", "milestone")}
    form = BlueprintForm(
        request.POST or None, projects=projects, initial=initial, refresh_url=request.path
    )

    def save() -> Blueprint:
        project = form.cleaned_data["project"]
        return services.create_blueprint(project, actor=request.user, **form.service_fields())

    return _form_page(request, form, save, done="created")


@permissions.signin_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def blueprint_update(request: HttpRequest, project_name: str, name: str) -> HttpResponse:
    bp = _blueprint(project_name, name)
    if not permissions.can_edit_roadmap(request.user, bp.project):
        raise PermissionDenied
    # ModelForm's validation writes into its instance; the service and the page keep `bp` intact.
    initial = {key: request.GET[key] for key in ("series", "milestone") if key in request.GET}
    form = BlueprintForm(
        request.POST or None,
        instance=_blueprint(project_name, name),
        initial=initial,
        refresh_url=request.path,
    )

    def save() -> Blueprint:
        return services.update_blueprint(bp, actor=request.user, **form.service_fields())

    return _form_page(request, form, save, done="saved", bp=bp)


@permissions.signin_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def blueprint_delete(request: HttpRequest, project_name: str, name: str) -> HttpResponse:
    bp = _blueprint(project_name, name)
    if not permissions.can_edit_roadmap(request.user, bp.project):
        raise PermissionDenied
    return delete_page(
        request,
        deletes.blueprint_delete_summary(bp),
        lambda: services.delete_blueprint(bp, actor=request.user),
        cancel=reverse("roadmap:blueprint_detail", args=[bp.project.name, bp.name]),
        done=f"{reverse('roadmap:blueprint_list')}?{urlencode({'project': bp.project.name})}",
        message=f"Blueprint {name} deleted.",
    )


@require_GET
def project_detail(request: HttpRequest, project_name: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.prefetch_related("leads"), name=project_name)
    blueprints = queries.blueprints_for_list().filter(project=project)
    context = {
        "project": project,
        "counts": queries.status_counts(blueprints),
        "series_rows": queries.series_counts_of(project),
        "can_edit": permissions.can_edit_roadmap(request.user, project),
    }
    return render(request, "roadmap/project_detail.html", context)


@permissions.signin_required
@require_http_methods(["GET", "POST"])
def project_import(request: HttpRequest, project_name: str) -> HttpResponse:
    """Leads upload a Launchpad collection page; refused files name each bad entry."""
    project = get_object_or_404(Project, name=project_name)
    if not permissions.can_edit_roadmap(request.user, project):
        raise PermissionDenied
    form = LaunchpadImportForm(request.POST or None, request.FILES or None)
    context: dict = {"project": project, "form": form, "problems": [], "result": None}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                collection = launchpad.parse_json_text(form.cleaned_data["file"].read())
                result = services.import_launchpad_collection(
                    project.name,
                    collection,
                    actor=request.user,
                    series=form.cleaned_data["series"],
                )
            except launchpad.ImportRefused as refused:
                form.add_error("file", refused.headline)
                context["problems"] = refused.problems
            else:
                messages.success(request, "Imported. " + result.summary())
                return redirect("roadmap:project_detail", project.name)
    return render(request, "roadmap/project_import.html", context, status=status)


def _project_param(request: HttpRequest) -> Project | None:
    name = request.GET.get("project")
    return get_object_or_404(Project, name=name) if name else None


@require_GET
def series_detail(request: HttpRequest, series_name: str) -> HttpResponse:
    series = get_object_or_404(queries.series_named(series_name).prefetch_related("milestones"))
    project = _project_param(request)
    blueprints = queries.blueprints_of_series(series, project)
    context = queries.progress_of(blueprints, queries.window_of_series(series))
    context |= {
        "series": series,
        "project": project,
        "projects": queries.projects_with_blueprints_in(series),
        "milestone_rows": queries.milestone_counts_of(series, project),
    }
    return render(request, "roadmap/series_detail.html", context)


@require_GET
def milestone_detail(request: HttpRequest, milestone_name: str) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("series"), name=milestone_name)
    project = _project_param(request)
    blueprints = queries.blueprints_of_milestone(milestone, project)
    context = queries.progress_of(blueprints, queries.window_of_milestone(milestone))
    context |= {"milestone": milestone, "series": milestone.series, "project": project}
    context["blueprints"] = paginate(request, blueprints)
    return render(request, "roadmap/milestone_detail.html", context)


@require_GET
def release_preview(request: HttpRequest, project_name: str, series_name: str) -> HttpResponse:
    """The "what to expect" report: HTML, `?format=markdown` or `?format=json`."""
    project = get_object_or_404(Project, name=project_name)
    series = get_object_or_404(queries.series_named(series_name))
    output = request.GET.get("format", "html")
    if output == "markdown":
        text = reports.release_preview_markdown(project, series)
        response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{project.name}-{series.slug}.md"'
        return response
    if output == "json":
        return JsonResponse(reports.release_preview_data(project, series))
    if output != "html":
        raise Http404("Unknown format")
    report = reports.release_preview_data(project, series)
    context = {
        "project": project,
        "series": series,
        "report": report,
        "not_started": report["counts"]["Not started"],
    }
    return render(request, "roadmap/release_preview.html", context)
