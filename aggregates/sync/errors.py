"""What can go wrong talking to a compute API, as domain errors with the status to show."""

from __future__ import annotations

from dashboard.errors import DomainError


class ComputeError(DomainError):
    """The compute API could not do what was asked; `message` is shown to the admin."""

    status = 502


class ComputeUnavailable(ComputeError):
    """Down, slow past the timeout or answering 5xx: transient, worth retrying."""

    status = 503


class ComputeApiError(ComputeError):
    """Nova (or Placement) refused the request: its status and message, verbatim."""


class InvalidReply(ComputeError):
    """A reply did not have the shape of the microversion we asked for; names the field."""


class ComputeConfigError(ComputeError):
    """The cloud's `clouds.yaml` entry is missing or unusable."""

    status = 400
