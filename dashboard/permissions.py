"""Every permission decision of the site, pages and API alike: roles are Django groups."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import SAFE_METHODS, BasePermission

CLOUD_ADMIN = "cloud-admin"
PROJECT_LEAD = "project-lead"
BOARD_MEMBER = "board-member"
ROLES = (CLOUD_ADMIN, PROJECT_LEAD, BOARD_MEMBER)

User = Any  # a user or AnonymousUser


def roles_of(user: User) -> frozenset[str]:
    """The role names of `user`, read once per request object (cached on the user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_stackboard_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._stackboard_roles = cached
    return cached


def is_signed_in(user: User) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_superuser(user: User) -> bool:
    return is_signed_in(user) and bool(user.is_superuser)


def is_cloud_admin(user: User) -> bool:
    """Admins run the clouds: aggregates and hosts are theirs alone (Nova: admin-only)."""
    return is_signed_in(user) and (user.is_superuser or CLOUD_ADMIN in roles_of(user))


def is_project_lead(user: User) -> bool:
    return is_signed_in(user) and PROJECT_LEAD in roles_of(user)


def is_board_member(user: User) -> bool:
    return is_signed_in(user) and BOARD_MEMBER in roles_of(user)


def can_view_hosts_and_aggregates(user: User) -> bool:
    return is_cloud_admin(user)


def can_manage_clouds(user: User) -> bool:
    return is_cloud_admin(user)


def can_preview_placement(user: User) -> bool:
    """The placement preview shows hosts and aggregates: admins only, like Nova's aggregates."""
    return is_cloud_admin(user)


def can_view_executive_session(user: User) -> bool:
    """Executive-session board records: board members (and superusers) only, everywhere.

    A cloud admin runs infrastructure: the role gives no seat at the board's closed sessions.
    """
    return is_board_member(user) or is_superuser(user)


# Audit entries of these records carry their text (before/after), executive sessions included.
BOARD_RECORD_TYPES = frozenset({"roadmap.boardmeeting", "roadmap.boarditem", "roadmap.actionitem"})


def audit_types_hidden_from(user: User) -> frozenset[str]:
    """The audited object types whose entries `user` may not read in the audit log."""
    return frozenset() if can_view_executive_session(user) else BOARD_RECORD_TYPES


def can_edit_board(user: User) -> bool:
    return is_board_member(user) or is_cloud_admin(user)


def is_anyone(user: User) -> bool:
    """Public reads (meetups, the board outside executive sessions): the queries filter rows."""
    return True


def can_organise_meetups(user: User) -> bool:
    """Project leads and admins put meetups on the calendar (and organise them)."""
    return is_project_lead(user) or is_cloud_admin(user)


def can_edit_meetup(user: User, meetup: object) -> bool:
    """A meetup is written by its organiser and by admins."""
    if is_cloud_admin(user):
        return True
    return is_signed_in(user) and getattr(meetup, "organiser_id", None) == user.pk


def can_rsvp(user: User) -> bool:
    """Any signed-in member answers a meetup for themselves."""
    return is_signed_in(user)


def can_edit_roadmap(user: User, project: object | None = None) -> bool:
    """Admins edit any project; project leads edit their own (or create new ones)."""
    if is_cloud_admin(user):
        return True
    if not is_project_lead(user):
        return False
    if project is None:
        return True
    leads = getattr(project, "leads", None)
    return leads is None or leads.filter(pk=user.pk).exists()


def can_read_roadmap(user: User) -> bool:
    """Roadmap pages and API reads are public: anyone, signed in or not."""
    return True


def can_edit_release_calendar(user: User) -> bool:
    """Series and milestones are the whole community's calendar: admins keep it."""
    return is_cloud_admin(user)


def can_view_audit_log(user: User) -> bool:
    return is_cloud_admin(user)


def page_requires(check: Callable[[User], bool]) -> Callable:
    """View decorator: anonymous readers go to sign-in; signed in without the right: 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_signed_in(request.user):
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


signin_required = page_requires(is_signed_in)


def api_permission(read: Callable[[User], bool], write: Callable[[User], bool] | None = None):
    """A DRF permission class from two checks (reads, and writes; writes default to reads)."""
    write_check = write or read

    class Permission(BasePermission):
        def has_permission(self, request, view) -> bool:
            check = read if request.method in SAFE_METHODS else write_check
            return check(request.user)

    Permission.__name__ = f"Permission_{read.__name__}_{write_check.__name__}"
    return Permission
