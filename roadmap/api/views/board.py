"""API of meetups (with RSVPs) and the board; reads use the pages' queries, writes the services."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from dashboard import permissions
from roadmap.api.serializers import board as serializers
from roadmap.filters.board import ActionItemFilter, BoardItemFilter, BoardMeetingFilter
from roadmap.filters.meetups import MeetupFilter
from roadmap.queries import board as board_queries
from roadmap.queries import meetups as meetup_queries
from roadmap.services import board as board_services
from roadmap.services import meetups as meetup_services


class _ServiceViewSet(viewsets.ModelViewSet):
    """A viewset whose writes call services; the answer is read back through the list query."""

    create_service = None
    update_service = None
    delete_service = None

    def perform_create(self, serializer) -> None:
        obj = type(self).create_service(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=obj.pk)

    def perform_update(self, serializer) -> None:
        obj = type(self).update_service(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=obj.pk)

    def perform_destroy(self, instance) -> None:
        type(self).delete_service(instance, actor=self.request.user)


class MeetupPermission(BasePermission):
    """Anyone reads; leads and admins create; the organiser and admins edit; members RSVP."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if view.action == "create":
            return permissions.can_organise_meetups(request.user)
        if view.action == "rsvp":
            return permissions.can_rsvp(request.user)
        return permissions.is_signed_in(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS or view.action == "rsvp":
            return True
        return permissions.can_edit_meetup(request.user, obj)


class MeetupViewSet(_ServiceViewSet):
    """Meetups: team or project, series, dates, place, links, capacity, who goes."""

    serializer_class = serializers.MeetupSerializer
    permission_classes = [MeetupPermission]
    filterset_class = MeetupFilter
    ordering_fields = ["start_date", "title"]
    create_service = staticmethod(meetup_services.create_meetup)
    update_service = staticmethod(meetup_services.update_meetup)
    delete_service = staticmethod(meetup_services.delete_meetup)

    def get_queryset(self):
        return meetup_queries.meetups_for_list()

    @extend_schema(methods=["GET"], responses=serializers.RsvpSerializer(many=True))  # paginated
    @extend_schema(
        methods=["POST", "PUT"],
        request=serializers.RsvpSerializer,
        responses=serializers.RsvpSerializer,
    )
    @extend_schema(methods=["DELETE"], responses={204: None})
    @action(detail=True, methods=["get", "post", "put", "delete"], filterset_class=None)
    def rsvp(self, request, pk=None):
        """GET: who answered; POST/PUT: your answer (going, maybe, not-going); DELETE: withdraw."""
        meetup = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(meetup_queries.rsvps_of(meetup))
            return self.get_paginated_response(serializers.RsvpSerializer(page, many=True).data)
        if request.method == "DELETE":
            meetup_services.remove_rsvp(meetup, request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = serializers.RsvpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        existed = meetup.rsvps.filter(user=request.user).exists()
        rsvp = meetup_services.set_rsvp(meetup, request.user, serializer.validated_data["response"])
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(serializers.RsvpSerializer(rsvp).data, status=code)


BoardPermission = permissions.api_permission(permissions.is_anyone, permissions.can_edit_board)


class BoardMeetingViewSet(_ServiceViewSet):
    """Board meetings; executive sessions only for board members and superusers."""

    serializer_class = serializers.BoardMeetingSerializer
    permission_classes = [BoardPermission]
    filterset_class = BoardMeetingFilter
    ordering_fields = ["date"]
    create_service = staticmethod(board_services.create_meeting)
    update_service = staticmethod(board_services.update_meeting)
    delete_service = staticmethod(board_services.delete_board_record)

    def get_queryset(self):
        return board_queries.meetings_for(self.request.user)


class BoardItemViewSet(_ServiceViewSet):
    """Agenda items (`?q=` searches); executive sessions only for board members and superusers."""

    serializer_class = serializers.BoardItemSerializer
    permission_classes = [BoardPermission]
    filterset_class = BoardItemFilter
    ordering_fields = ["meeting__date", "position"]
    create_service = staticmethod(board_services.create_item)
    update_service = staticmethod(board_services.update_item)
    delete_service = staticmethod(board_services.delete_board_record)

    def get_queryset(self):
        return board_queries.items_for(self.request.user)


class ActionItemViewSet(_ServiceViewSet):
    """Action items of agenda items: owner, due date, status."""

    serializer_class = serializers.ActionItemSerializer
    permission_classes = [BoardPermission]
    filterset_class = ActionItemFilter
    ordering_fields = ["due_date"]
    create_service = staticmethod(board_services.create_action_item)
    update_service = staticmethod(board_services.update_action_item)
    delete_service = staticmethod(board_services.delete_board_record)

    def get_queryset(self):
        return board_queries.action_items_for(self.request.user)
