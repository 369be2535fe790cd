"""Utilisation history: one compact sample per host, aggregate, zone and cloud at each sync."""

from django.db import models

from aggregates.models.clouds import Cloud


class Level(models.IntegerChoices):
    """What a sample (or a rollup row) sums over; the API spells them by label."""

    HOST = 0, "host"
    AGGREGATE = 1, "aggregate"
    AVAILABILITY_ZONE = 2, "availability_zone"
    CLOUD = 3, "cloud"


class Resolution(models.IntegerChoices):
    RAW = 0, "raw"
    HOURLY = 1, "hourly"
    DAILY = 2, "daily"


class UtilisationSample(models.Model):
    """Placement usage and capacity of one host / aggregate / zone / cloud at `ts`.

    Amounts are *sums over `samples` readings* (a raw row has samples=1), so downsampling adds
    rows up exactly and the mean is amount / samples: totals stay consistent across levels and
    resolutions. Rows are keyed by name (hosts by their service host name) so history outlives
    a host leaving an aggregate.
    """

    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    name = models.CharField(max_length=255)
    resolution = models.PositiveSmallIntegerField(choices=Resolution.choices)
    ts = models.DateTimeField()  # start of the bucket for hourly and daily rows
    samples = models.PositiveIntegerField(default=1)
    vcpus_used = models.BigIntegerField()
    vcpus_capacity = models.BigIntegerField()
    memory_mb_used = models.BigIntegerField()
    memory_mb_capacity = models.BigIntegerField()
    local_gb_used = models.BigIntegerField()
    local_gb_capacity = models.BigIntegerField()
    running_vms = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cloud", "level", "name", "resolution", "ts"],
                name="utilisation_sample_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["cloud", "resolution", "ts"], name="utilisation_cloud_res_ts"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name} @ {self.ts:%Y-%m-%d %H:%M}"
