"""Site-wide API resources: the audit log and the signed-in user."""

from django.urls import path

from dashboard.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("audit-log/", views.AuditEntryList.as_view(), name="api-audit-log"),
]
