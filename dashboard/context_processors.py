"""Template context: what the navigation may show to the current user, and where they are."""

from django.http import HttpRequest

from dashboard import permissions


def roles(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "is_cloud_admin": permissions.is_cloud_admin(user),
        "is_board_member": permissions.is_board_member(user),
        "is_project_lead": permissions.is_project_lead(user),
    }


# The first path segment of each navigation section (meetups and board live in the roadmap app
# but have sections of their own).
NAV_SECTIONS = {"clouds": "clouds", "roadmap": "roadmap", "meetups": "meetups", "board": "board"}


def nav_section(request: HttpRequest) -> dict:
    first = request.path.strip("/").split("/", 1)[0]
    section = "overview" if first == "" else NAV_SECTIONS.get(first, "")
    return {"nav_section": section}
