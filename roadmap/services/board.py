"""Writes of board meetings, agenda items and action items (who may write: the callers check)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from dashboard import permissions
from dashboard.errors import DomainError
from roadmap.models import ActionItem, BoardItem, BoardMeeting
from roadmap.services import writes

_url = URLValidator(schemes=["http", "https"])


def _check_item(item: BoardItem) -> None:
    for line in item.link_list:
        try:
            _url(line)
        except ValidationError as exc:
            raise DomainError(f"“{line}” is not an http(s) link.", field="links") from exc


def _check_may_write_private(actor: Any, fields: dict[str, Any]) -> None:
    # A writer who may not read executive sessions may not make one: the record would vanish
    # from their own view the moment it was written.
    if fields.get("executive_session") and not permissions.can_view_executive_session(actor):
        raise DomainError(
            "Only board members can write executive-session records.", field="executive_session"
        )


def create_meeting(*, actor: Any, **fields: Any) -> BoardMeeting:
    _check_may_write_private(actor, fields)
    return writes.create(BoardMeeting, fields, actor=actor)


def update_meeting(meeting: BoardMeeting, *, actor: Any, **fields: Any) -> BoardMeeting:
    _check_may_write_private(actor, fields)
    return writes.update(meeting, fields, actor=actor)


def create_item(*, actor: Any, **fields: Any) -> BoardItem:
    _check_may_write_private(actor, fields)
    return writes.create(BoardItem, fields, actor=actor, check=_check_item)


def update_item(item: BoardItem, *, actor: Any, **fields: Any) -> BoardItem:
    _check_may_write_private(actor, fields)
    return writes.update(item, fields, actor=actor, check=_check_item)


def create_action_item(*, actor: Any, **fields: Any) -> ActionItem:
    if fields.get("owner") is None:
        # Before the model's own check, so the refusal is worded for people.
        raise DomainError("Every action item needs an owner.", field="owner")
    return writes.create(ActionItem, fields, actor=actor)


def update_action_item(action: ActionItem, *, actor: Any, **fields: Any) -> ActionItem:
    if "owner" in fields and fields["owner"] is None:
        raise DomainError("Every action item needs an owner.", field="owner")
    return writes.update(action, fields, actor=actor)


def delete_board_record(obj: BoardMeeting | BoardItem | ActionItem, *, actor: Any) -> None:
    """Delete a meeting (with its items), an item (with its action items) or an action item."""
    writes.delete(obj, actor=actor)
