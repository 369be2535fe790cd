"""Read side of the site-wide records."""

from django.db.models import QuerySet

from dashboard.models import ApiToken, AuditEntry
from dashboard.permissions import User, audit_types_hidden_from


def audit_entries(user: User) -> QuerySet[AuditEntry]:
    """The audit log `user` may read, newest first (no per-row queries)."""
    entries = AuditEntry.objects.exclude(object_type__in=audit_types_hidden_from(user))
    return entries.order_by("-created_at", "-id")


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
