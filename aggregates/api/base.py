"""Shared bases of the aggregates API: permissions, cloud-scoped views, documented errors."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import generics

from aggregates import queries
from aggregates.api.serializers import ErrorListSerializer
from aggregates.models import Cloud
from dashboard import permissions

AdminOnly = permissions.api_permission(
    permissions.can_view_hosts_and_aggregates, permissions.can_manage_clouds
)
MembersReadAdminsWrite = permissions.api_permission(
    permissions.is_signed_in, permissions.can_manage_clouds
)
ERRORS = {
    code: OpenApiResponse(
        response=ErrorListSerializer,
        description=f'{code}: {{"errors": [{{"field", "message"}}]}} with Nova\'s message',
    )
    for code in (400, 403, 404, 409, 503)
}


def error_responses(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


class CloudScoped:
    """Views under /clouds/{slug}/: the cloud comes from the URL, 404 if unknown."""

    def get_cloud(self) -> Cloud:
        if not hasattr(self, "_cloud"):
            clouds = queries.clouds_for(self.request.user)
            self._cloud = get_object_or_404(clouds, slug=self.kwargs["slug"])
        return self._cloud


class ListInCloud(CloudScoped, generics.ListAPIView):
    """A paginated, filtered list of one cloud's rows, from the page's query function."""

    def cloud_rows(self, cloud: Cloud):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return self.serializer_class.Meta.model.objects.none()
        return self.cloud_rows(self.get_cloud())
