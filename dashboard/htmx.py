"""Helpers for pages that answer both full requests and htmx fragments."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django_htmx.http import HttpResponseClientRedirect

PAGE_SIZE, MAX_PAGE_SIZE = 50, 500


def is_partial(request: HttpRequest) -> bool:
    """True for an htmx request that wants a fragment (not boosted, not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def paginate(request: HttpRequest, queryset, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of `queryset`; bad page numbers give the nearest valid page."""
    try:
        per_page = max(1, min(int(request.GET.get("per_page", per_page)), MAX_PAGE_SIZE))
    except ValueError:
        per_page = PAGE_SIZE
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def leave_page(request: HttpRequest, url: str) -> HttpResponse:
    """After a write that leaves the page: htmx navigates the whole window (a 302 would be
    followed inside the XHR and its page swapped into the fragment); without htmx, PRG."""
    if getattr(request, "htmx", None):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)
