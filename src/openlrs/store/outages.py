"""Which database failures are an outage (the database is down, unreachable or saturated) rather
than a bug: every door answers the first as 503 with Retry-After, the second as 500."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

from openlrs.domain.errors import ServiceUnavailable

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    sa_exc.OperationalError,  # connection refused or lost, database locked, cannot open the file
    sa_exc.InterfaceError,  # the driver's connection is unusable
    sa_exc.DisconnectionError,  # the pool found the connection dead
    sa_exc.TimeoutError,  # no connection came free in the pool in time
)


def is_outage(error: BaseException) -> bool:
    """True when `error` says the database cannot serve now, whatever the statement."""
    if isinstance(error, OUTAGE_ERRORS):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


def as_outage(error: BaseException) -> ServiceUnavailable | None:
    """The ServiceUnavailable to raise instead of `error` (chained to it), or None if it is not one."""
    if not is_outage(error):
        return None
    outage = ServiceUnavailable()
    outage.__cause__ = error
    return outage
