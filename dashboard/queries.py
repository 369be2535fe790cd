"""Read side of the site-wide records."""

from django.db.models import QuerySet

from dashboard.models import ApiToken, AuditEntry


def audit_entries() -> QuerySet[AuditEntry]:
    """The audit log, newest first; entries carry everything a list shows (no per-row queries)."""
    return AuditEntry.objects.order_by("-created_at", "-id")


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
