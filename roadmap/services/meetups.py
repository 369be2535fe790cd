"""Writes of meetups and RSVPs, and the rules they keep (dates in order, RSVPs before the end)."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from dashboard import audit
from dashboard.errors import Conflict, DomainError
from roadmap.choices import RsvpResponse
from roadmap.models import Meetup, Rsvp
from roadmap.services import writes


def _check_meetup(meetup: Meetup) -> None:
    if meetup.end_date < meetup.start_date:
        raise DomainError("The meetup cannot end before it starts.", field="end_date")
    if not meetup.project_id and not meetup.team.strip():
        raise DomainError("Name the project or the team that meets.", field="project")


def create_meetup(*, actor: Any, **fields: Any) -> Meetup:
    """A new meetup; the actor organises it unless `organiser` says otherwise."""
    fields.setdefault("organiser", actor)
    return writes.create(Meetup, fields, actor=actor, check=_check_meetup)


def update_meetup(meetup: Meetup, *, actor: Any, **fields: Any) -> Meetup:
    return writes.update(meetup, fields, actor=actor, check=_check_meetup)


def delete_meetup(meetup: Meetup, *, actor: Any) -> None:
    writes.delete(meetup, actor=actor)


def set_rsvp(
    meetup: Meetup, user: Any, response: str, *, today: datetime.date | None = None
) -> Rsvp:
    """Record `user`'s answer (replacing an earlier one); refused once the meetup is over."""
    today = today or timezone.localdate()
    if response not in RsvpResponse.values:
        raise DomainError(f"Answer one of: {', '.join(RsvpResponse.values)}.", field="response")
    if meetup.end_date < today:
        raise DomainError(
            f"“{meetup.title}” ended on {meetup.end_date:%Y-%m-%d}; RSVPs are closed.",
            field="meetup",
        )
    with transaction.atomic():
        Meetup.objects.select_for_update().get(pk=meetup.pk)  # one capacity check at a time
        rsvp = Rsvp.objects.filter(meetup=meetup, user=user).first()
        if response == RsvpResponse.GOING and meetup.capacity is not None:
            going = meetup.rsvps.filter(response=RsvpResponse.GOING).exclude(user=user).count()
            if going >= meetup.capacity:
                raise Conflict(
                    f"“{meetup.title}” is full ({meetup.capacity} going).", field="response"
                )
        if rsvp is None:
            rsvp = Rsvp.objects.create(meetup=meetup, user=user, response=response)
            audit.record_create(actor=user, obj=rsvp)
        else:
            with audit.recording(actor=user, obj=rsvp):
                rsvp.response = response
                rsvp.save(update_fields=["response", "updated_at"])
    return rsvp


def remove_rsvp(meetup: Meetup, user: Any) -> None:
    rsvp = Rsvp.objects.filter(meetup=meetup, user=user).first()
    if rsvp is None:
        raise DomainError("You have not answered this meetup.", field=None, status=404)
    writes.delete(rsvp, actor=user)
