"""Domain errors: services raise them; pages show them next to the field, the API as JSON."""


class DomainError(Exception):
    """A refused operation: `message` for people, `field` it concerns (or None), HTTP `status`."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PermissionDenied(DomainError):
    status = 403


class ServiceUnavailable(DomainError):
    """A service the operation needs (the task queue, say) is down: try again later."""

    status = 503
