"""Template context: what the navigation may show to the current user."""

from django.http import HttpRequest

from dashboard import permissions


def roles(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "is_cloud_admin": permissions.is_cloud_admin(user),
        "is_board_member": permissions.is_board_member(user),
        "is_project_lead": permissions.is_project_lead(user),
    }
