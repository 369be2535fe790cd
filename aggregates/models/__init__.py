"""Resource segregation models, one module per area, re-exported here."""

from aggregates.models.aggregates import Aggregate
from aggregates.models.clouds import NOVA_DEFAULTS, Cloud
from aggregates.models.flavors import Flavor
from aggregates.models.hosts import Host, Server, ServerGroup
from aggregates.models.sync import SyncRun
from aggregates.models.utilisation import UtilisationSample, UtilisationSeries

__all__ = [
    "NOVA_DEFAULTS",
    "Aggregate",
    "Cloud",
    "Flavor",
    "Host",
    "Server",
    "ServerGroup",
    "SyncRun",
    "UtilisationSample",
    "UtilisationSeries",
]
