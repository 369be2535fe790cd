"""Demo sign-ins, one per role; `manage.py seed_demo` creates them and each app's demo data."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from dashboard import permissions

DEMO_PASSWORD = "stackboard-demo"
# username → (role or None, full name)
DEMO_USERS = {
    "admin": (permissions.CLOUD_ADMIN, "Ada Admin"),
    "lead": (permissions.PROJECT_LEAD, "Lee Lead"),
    "board": (permissions.BOARD_MEMBER, "Bo Board"),
    "member": (None, "Mem Member"),
}


def seed_users() -> dict:
    """Create (or reset) the demo users; returns them by username."""
    User = get_user_model()
    users = {}
    for username, (role, full_name) in DEMO_USERS.items():
        first, last = full_name.split(" ", 1)
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.org"
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users
