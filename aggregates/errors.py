"""Domain errors of resource segregation, with Nova's status codes (nova-scheduling.md §2.3, §3)."""

from dashboard.errors import Conflict, DomainError, NotFound


class InvalidInput(DomainError):
    """What Nova's request schema refuses (400)."""

    status = 400


class DuplicateName(Conflict):
    """`Aggregate X already exists.`, `Flavor with name X already exists.` (409)."""


class AvailabilityZoneConflict(DomainError):
    """A host would end up in two zones: 409 on add_host, 400 on update/set_metadata (Nova)."""


class InvalidAggregateAction(DomainError):
    """Nova's InvalidAggregateAction*: `Cannot … aggregate N. Reason: …`."""


class HostNotFound(NotFound):
    """`Compute host X could not be found.` (404)."""


class ServerNotFound(NotFound):
    """`Instance X could not be found.` (404)."""


class AggregateHostExists(Conflict):
    """`Aggregate N already has host X.` (409)."""


class FlavorAccessError(DomainError):
    """Refused flavor-access changes (409 public flavor / duplicate, 404 absent)."""


class ExtraSpecNotFound(NotFound):
    """`Flavor X has no extra specs with key K.` (404)."""


class HostHasInstances(Conflict):
    """Nova refuses to delete a compute service while it hosts instances (409)."""


class LocalCloudOnly(Conflict):
    """An operation that only makes sense where Stackboard is the system of record (409)."""


class NotConnected(DomainError):
    """An operation that needs a compute API, asked of a local cloud (400)."""

    status = 400


class SyncAlreadyRunning(Conflict):
    """A sync of the cloud holds its lock: another would only wait for it (409)."""
