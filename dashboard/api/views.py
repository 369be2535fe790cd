"""Site-wide API views: the root index, the signed-in user and the audit log."""

from collections import OrderedDict

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import permissions as drf_permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard import audit_changes, permissions
from dashboard.api.serializers import AuditEntrySerializer, MeSerializer
from dashboard.filters import AuditEntryFilter
from dashboard.queries import audit_entries

# Each app appends ("name", "url-name") pairs for its collections; the root lists them all.
ROOT_ENTRIES: list[tuple[str, str]] = [("me", "api-me"), ("audit-log", "api-audit-log")]


class ApiRoot(APIView):
    """The index of the API: every collection, plus the schema and its docs."""

    permission_classes = [drf_permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request):
        links = OrderedDict()
        for name, url_name in ROOT_ENTRIES:
            try:
                links[name] = request.build_absolute_uri(reverse(url_name))
            except NoReverseMatch:
                continue
        links["schema"] = request.build_absolute_uri(reverse("schema"))
        links["docs"] = request.build_absolute_uri(reverse("api-docs"))
        return Response(links)


class MeView(generics.RetrieveAPIView):
    """The signed-in user and their roles."""

    serializer_class = MeSerializer
    permission_classes = [drf_permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user


class AuditEntryList(generics.ListAPIView):
    """Who changed what and when, newest first (admins only)."""

    serializer_class = AuditEntrySerializer
    permission_classes = [permissions.api_permission(permissions.can_view_audit_log)]
    filterset_class = AuditEntryFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return audit_entries(self.request.user)

    def paginate_queryset(self, queryset):
        # Only the page's entries are described: their objects are read once per kind.
        page = super().paginate_queryset(queryset)
        return None if page is None else audit_changes.describe(page)
