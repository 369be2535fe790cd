"""Meetup pages: the list with who comes, a meetup with its RSVPs, editing, the travel view."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dashboard import permissions
from dashboard.htmx import is_partial, paginate
from roadmap.filters.meetups import MeetupFilter
from roadmap.forms.handling import submit
from roadmap.forms.meetups import MeetupForm, RsvpForm
from roadmap.models import Meetup, Series
from roadmap.queries import deletes
from roadmap.queries import meetups as queries
from roadmap.queries.blueprints import by_name
from roadmap.services import meetups as services
from roadmap.views.editing import delete_page, form_page


@require_GET
@vary_on_headers("HX-Request")
def meetup_list(request: HttpRequest) -> HttpResponse:
    meetup_filter = MeetupFilter(request.GET, queryset=queries.meetups_for_list())
    page = paginate(request, meetup_filter.qs)
    partial = "roadmap/partials/_meetup_table.html"
    template = partial if is_partial(request) else "roadmap/meetup_list.html"
    context = {
        "filter": meetup_filter,
        "page": page,
        "series_list": Series.objects.order_by("-release_date"),
        "travel_series": queries.series_with_meetups(),
        "can_organise": permissions.can_organise_meetups(request.user),
    }
    return render(request, template, context)


def _detail_context(request: HttpRequest, meetup: Meetup, form: RsvpForm | None = None) -> dict:
    response = queries.response_of(meetup, request.user)
    return {
        "meetup": meetup,
        "rsvps": queries.rsvps_of(meetup),
        "my_response": response,
        "rsvp_form": form or RsvpForm(initial={"response": response}),
        "can_edit": permissions.can_edit_meetup(request.user, meetup),
        "is_over": meetup.end_date < timezone.localdate(),
    }


@require_GET
def meetup_detail(request: HttpRequest, meetup_id: int) -> HttpResponse:
    meetup = get_object_or_404(queries.meetups_for_list(), pk=meetup_id)
    return render(request, "roadmap/meetup_detail.html", _detail_context(request, meetup))


@permissions.signin_required
@require_POST
@vary_on_headers("HX-Request")
def meetup_rsvp(request: HttpRequest, meetup_id: int) -> HttpResponse:
    """Answer going / maybe / not going; htmx gets the RSVP box back, others the page."""
    meetup = get_object_or_404(Meetup, pk=meetup_id)
    form = RsvpForm(request.POST)
    rsvp = submit(form, lambda data: services.set_rsvp(meetup, request.user, data["response"]))
    if rsvp is not None and not is_partial(request):
        messages.success(request, f"Your answer: {rsvp.get_response_display()}.")
        return redirect("roadmap:meetup_detail", meetup_id=meetup.pk)
    meetup = get_object_or_404(queries.meetups_for_list(), pk=meetup_id)
    context = _detail_context(request, meetup, form if rsvp is None else None)
    template = (
        "roadmap/partials/_rsvp.html" if is_partial(request) else "roadmap/meetup_detail.html"
    )
    return render(request, template, context, status=200 if rsvp is not None else 422)


@permissions.page_requires(permissions.can_organise_meetups)
@require_http_methods(["GET", "POST"])
def meetup_create(request: HttpRequest) -> HttpResponse:
    form = MeetupForm(request.POST or None)
    return _meetup_form_page(
        request, form, lambda data: services.create_meetup(actor=request.user, **data), None
    )


@permissions.signin_required
@require_http_methods(["GET", "POST"])
def meetup_update(request: HttpRequest, meetup_id: int) -> HttpResponse:
    meetup = get_object_or_404(Meetup, pk=meetup_id)
    if not permissions.can_edit_meetup(request.user, meetup):
        raise PermissionDenied
    form = MeetupForm(request.POST or None, instance=meetup)
    return _meetup_form_page(
        request,
        form,
        lambda data: services.update_meetup(meetup, actor=request.user, **data),
        meetup,
    )


@permissions.signin_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def meetup_delete(request: HttpRequest, meetup_id: int) -> HttpResponse:
    meetup = get_object_or_404(Meetup, pk=meetup_id)
    if not permissions.can_edit_meetup(request.user, meetup):
        raise PermissionDenied
    return delete_page(
        request,
        deletes.meetup_delete_summary(meetup),
        lambda: services.delete_meetup(meetup, actor=request.user),
        cancel=meetup.get_absolute_url(),
        done=reverse("roadmap:meetup_list"),
        message=f"Meetup “{meetup.title}” deleted, with its RSVPs.",
    )


def _meetup_form_page(request, form, write, meetup: Meetup | None) -> HttpResponse:
    return form_page(
        request,
        form,
        write,
        template="roadmap/meetup_form.html",
        context={"meetup": meetup},
        done=lambda obj: reverse("roadmap:meetup_detail", args=[obj.pk]),
    )


@require_GET
def meetup_travel(request: HttpRequest, series_name: str) -> HttpResponse:
    """The travel burden of a series: events, events per person, who goes to more than one."""
    series = by_name(Series.objects.all(), series_name)
    if series is None:
        raise Http404(f"No release series {series_name}.")
    travel = queries.travel_of(series)
    return render(request, "roadmap/meetup_travel.html", {"travel": travel})
