"""Board pages: meetings, agenda items, decisions, action items, the CSV export.

Every read goes through roadmap.queries.board, which hides executive sessions.
"""

import csv

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from dashboard import permissions
from dashboard.htmx import is_partial, paginate
from roadmap.filters.board import ActionItemFilter, BoardItemFilter, BoardMeetingFilter
from roadmap.forms.board import ActionItemForm, BoardItemForm, BoardMeetingForm
from roadmap.queries import board as queries
from roadmap.queries import deletes
from roadmap.services import board as services
from roadmap.views.editing import delete_page, form_page

edit_required = permissions.page_requires(permissions.can_edit_board)


@require_GET
@vary_on_headers("HX-Request")
def board_index(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings, then every meeting the reader may see, newest first."""
    meeting_filter = BoardMeetingFilter(request.GET, queryset=queries.meetings_for(request.user))
    page = paginate(request, meeting_filter.qs)
    partial = "roadmap/partials/_boardmeeting_table.html"
    if is_partial(request):
        return render(request, partial, {"page": page, "filter": meeting_filter})
    context = {
        "filter": meeting_filter,
        "page": page,
        "upcoming": queries.upcoming_meetings_for(request.user, today=timezone.localdate())[:3],
        "counts": queries.board_counts(request.user),
        "can_edit": permissions.can_edit_board(request.user),
    }
    return render(request, "roadmap/board_index.html", context)


@require_GET
def boardmeeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(queries.meeting_with_items(request.user), pk=meeting_id)
    context = {"meeting": meeting, "can_edit": permissions.can_edit_board(request.user)}
    return render(request, "roadmap/boardmeeting_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def boarditem_list(request: HttpRequest) -> HttpResponse:
    """Agenda items with search (`q`) and status filters."""
    item_filter = BoardItemFilter(request.GET, queryset=queries.items_for(request.user))
    page = paginate(request, item_filter.qs)
    partial = "roadmap/partials/_boarditem_table.html"
    template = partial if is_partial(request) else "roadmap/boarditem_list.html"
    return render(request, template, {"filter": item_filter, "page": page})


@require_GET
def boarditem_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    items = queries.items_for(request.user).prefetch_related("action_items__owner")
    item = get_object_or_404(items, pk=item_id)
    context = {"item": item, "can_edit": permissions.can_edit_board(request.user)}
    return render(request, "roadmap/boarditem_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def actionitem_list(request: HttpRequest) -> HttpResponse:
    action_filter = ActionItemFilter(request.GET, queryset=queries.action_items_for(request.user))
    page = paginate(request, action_filter.qs)
    partial = "roadmap/partials/_actionitem_table.html"
    template = partial if is_partial(request) else "roadmap/actionitem_list.html"
    return render(request, template, {"filter": action_filter, "page": page})


@require_GET
def boarditem_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every item the reader may see (filters apply), as CSV, streamed."""
    item_filter = BoardItemFilter(request.GET, queryset=queries.items_for(request.user))
    header = ["meeting_date", "meeting", "topic", "presenter", "status", "decision", "summary"]

    def rows():
        yield header
        for item in item_filter.qs.iterator(chunk_size=500):
            yield [
                item.meeting.date.isoformat(),
                *map(
                    _cell,
                    (
                        item.meeting.title,
                        item.topic,
                        item.presenter,
                        item.status,
                        item.decision,
                        item.summary,
                    ),
                ),
            ]

    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="board-items.csv"'
    return response


def _cell(text: str) -> str:
    # Spreadsheets run cells starting with = + - @ as formulas (CSV injection); quote them.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _board_form(
    request, form, write, heading: str, back: str, delete: str | None = None
) -> HttpResponse:
    return form_page(
        request,
        form,
        write,
        template="roadmap/board_form.html",
        context={"heading": heading, "back": back, "delete": delete},
        done=lambda obj: obj.get_absolute_url(),
    )


def _delete(request: HttpRequest, obj, summary, what: str, then: str) -> HttpResponse:
    return delete_page(
        request,
        summary,
        lambda: services.delete_board_record(obj, actor=request.user),
        cancel=reverse(f"roadmap:{obj._meta.model_name}_update", args=[obj.pk]),
        done=then,
        message=f"{what} deleted.",
    )


delete_methods = require_http_methods(["GET", "POST"])


@edit_required
@delete_methods
@vary_on_headers("HX-Request")
def boardmeeting_delete(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(queries.meetings_for(request.user), pk=meeting_id)
    summary = deletes.meeting_delete_summary(meeting)
    what = f"{meeting}, with its agenda"
    return _delete(request, meeting, summary, what, reverse("roadmap:board_index"))


@edit_required
@delete_methods
@vary_on_headers("HX-Request")
def boarditem_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(queries.items_for(request.user), pk=item_id)
    summary = deletes.item_delete_summary(item)
    return _delete(request, item, summary, f"Agenda item “{item}”", item.meeting.get_absolute_url())


@edit_required
@delete_methods
@vary_on_headers("HX-Request")
def actionitem_delete(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(queries.action_items_for(request.user), pk=action_id)
    summary = deletes.action_delete_summary(action)
    what = f"Action item “{action}”"
    return _delete(request, action, summary, what, action.item.get_absolute_url())


@edit_required
@require_http_methods(["GET", "POST"])
def boardmeeting_create(request: HttpRequest) -> HttpResponse:
    form = BoardMeetingForm(request.POST or None)
    return _board_form(
        request,
        form,
        lambda data: services.create_meeting(actor=request.user, **data),
        "New board meeting",
        reverse("roadmap:board_index"),
    )


@edit_required
@require_http_methods(["GET", "POST"])
def boardmeeting_update(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(queries.meetings_for(request.user), pk=meeting_id)
    form = BoardMeetingForm(request.POST or None, instance=meeting)
    return _board_form(
        request,
        form,
        lambda data: services.update_meeting(meeting, actor=request.user, **data),
        f"Edit {meeting}",
        meeting.get_absolute_url(),
        delete=reverse("roadmap:boardmeeting_delete", args=[meeting.pk]),
    )


@edit_required
@require_http_methods(["GET", "POST"])
def boarditem_create(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(queries.meetings_for(request.user), pk=meeting_id)
    form = BoardItemForm(request.POST or None)
    return _board_form(
        request,
        form,
        lambda data: services.create_item(actor=request.user, meeting=meeting, **data),
        f"New agenda item for {meeting}",
        meeting.get_absolute_url(),
    )


@edit_required
@require_http_methods(["GET", "POST"])
def boarditem_update(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(queries.items_for(request.user), pk=item_id)
    form = BoardItemForm(request.POST or None, instance=item)
    return _board_form(
        request,
        form,
        lambda data: services.update_item(item, actor=request.user, **data),
        f"Edit “{item}”",
        item.get_absolute_url(),
        delete=reverse("roadmap:boarditem_delete", args=[item.pk]),
    )


@edit_required
@require_http_methods(["GET", "POST"])
def actionitem_create(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(queries.items_for(request.user), pk=item_id)
    form = ActionItemForm(request.POST or None)
    return _board_form(
        request,
        form,
        lambda data: services.create_action_item(actor=request.user, item=item, **data),
        f"New action item for “{item}”",
        item.get_absolute_url(),
    )


@edit_required
@require_http_methods(["GET", "POST"])
def actionitem_update(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(queries.action_items_for(request.user), pk=action_id)
    form = ActionItemForm(request.POST or None, instance=action)
    return _board_form(
        request,
        form,
        lambda data: services.update_action_item(action, actor=request.user, **data),
        f"Edit action item “{action}”",
        action.get_absolute_url(),
        delete=reverse("roadmap:actionitem_delete", args=[action.pk]),
    )
