"""Every write of the roadmap app, one module per area, re-exported (`writes`: shared steps)."""

from roadmap.services.blueprints import (
    BlueprintNameTaken,
    DependencyCycle,
    ImportResult,
    MilestoneNotInSeries,
    create_blueprint,
    delete_blueprint,
    find_cycle,
    import_launchpad_collection,
    update_blueprint,
)
from roadmap.services.board import (
    create_action_item,
    create_item,
    create_meeting,
    delete_board_record,
    update_action_item,
    update_item,
    update_meeting,
)
from roadmap.services.meetups import (
    create_meetup,
    delete_meetup,
    remove_rsvp,
    set_rsvp,
    update_meetup,
)
from roadmap.services.projects import (
    create_object,
    create_project,
    delete_object,
    project_named,
    update_object,
)

__all__ = [
    "BlueprintNameTaken",
    "DependencyCycle",
    "ImportResult",
    "MilestoneNotInSeries",
    "create_action_item",
    "create_blueprint",
    "create_item",
    "create_meeting",
    "create_meetup",
    "create_object",
    "create_project",
    "delete_blueprint",
    "delete_board_record",
    "delete_meetup",
    "delete_object",
    "find_cycle",
    "import_launchpad_collection",
    "project_named",
    "remove_rsvp",
    "set_rsvp",
    "update_action_item",
    "update_blueprint",
    "update_item",
    "update_meeting",
    "update_meetup",
    "update_object",
]
