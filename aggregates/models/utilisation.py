"""Utilisation history, packed: a row holds the readings of up to 256 hosts (or aggregates, zones,
the cloud) of a cloud at one time as compressed columns; a small table names each series' place."""

import sys
import zlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django.db import models

from aggregates.choices import Level, Resolution
from aggregates.models.clouds import Cloud

AMOUNTS = (
    "vcpus_used",
    "vcpus_capacity",
    "memory_mb_used",
    "memory_mb_capacity",
    "local_gb_used",
    "local_gb_capacity",
    "running_vms",
)
FIELDS = ("samples", *AMOUNTS)
# Series per packed row. Reading one host's history decompresses one row per time; 256 keeps
# that cheap (≈ 16 KiB a row) while compressing nearly as well as larger rows.
SERIES_PER_ROW = 256
_WIDTH = 8  # bytes per packed value: array typecode "q"


class UtilisationSeries(models.Model):
    """A host, aggregate, zone or cloud with history, by name (so history outlives a host
    leaving an aggregate), and its fixed `position` in the packed rows of its level."""

    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    name = models.CharField(max_length=255)
    position = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cloud", "level", "name"], name="utilisation_series_name"
            ),
            models.UniqueConstraint(
                fields=["cloud", "level", "position"], name="utilisation_series_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"

    @property
    def block(self) -> int:
        return self.position // SERIES_PER_ROW

    @property
    def offset(self) -> int:
        return self.position % SERIES_PER_ROW


class UtilisationSample(models.Model):
    """Placement usage and capacity of the series of one level of a cloud at `ts` (the start of
    the bucket for hourly and daily rows) whose positions fall in `block` (SERIES_PER_ROW each).

    Per series, amounts are *sums over `samples` readings* (a raw reading has samples=1, a
    series absent then has 0), so downsampling adds rows up exactly and the mean is amount /
    samples: totals stay consistent across levels and resolutions. `data` is `Readings.pack()`.
    """

    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    resolution = models.PositiveSmallIntegerField(choices=Resolution.choices)
    ts = models.DateTimeField()
    block = models.PositiveIntegerField(default=0)
    series_count = models.PositiveIntegerField(help_text="series with a reading in this row")
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cloud", "level", "block", "resolution", "ts"],
                name="utilisation_sample_row",
            ),
        ]
        indexes = [
            models.Index(fields=["resolution", "ts"], name="utilisation_sample_res_ts"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} block {self.block} @ {self.ts:%Y-%m-%d %H:%M}"

    @property
    def readings(self) -> "Readings":
        return Readings.unpack(self.data)


@dataclass(slots=True)
class Readings:
    """The readings of one packed row: a column per FIELDS name, a value per series offset.

    Packed as signed 64-bit little-endian integers, column after column, split into byte
    planes (every lowest byte, then every second byte, …) and zlib-compressed: amounts are
    small numbers in 8-byte slots, so most planes are runs of zeros, and capacities repeat.
    """

    columns: list[list[int]]

    @classmethod
    def empty(cls, size: int) -> "Readings":
        return cls([[0] * size for _ in FIELDS])

    @property
    def size(self) -> int:
        return len(self.columns[0])

    @property
    def series_count(self) -> int:
        return sum(1 for samples in self.columns[0] if samples)

    def set(self, offset: int, samples: int, amounts: dict[str, Any]) -> None:
        self.columns[0][offset] = samples
        for column, name in zip(self.columns[1:], AMOUNTS, strict=True):
            column[offset] = amounts[name]

    def reading(self, offset: int) -> dict[str, int] | None:
        """`samples` and the amounts of the series at `offset`; None if it has no reading."""
        if offset >= self.size or not self.columns[0][offset]:
            return None
        return {name: column[offset] for name, column in zip(FIELDS, self.columns, strict=True)}

    def add(self, other: "Readings") -> "Readings":
        """Series by series, the sums of both (a merge of two buckets)."""
        size = max(self.size, other.size)
        return Readings(
            [
                [a + b for a, b in zip(_padded(mine, size), _padded(theirs, size), strict=True)]
                for mine, theirs in zip(self.columns, other.columns, strict=True)
            ]
        )

    def pack(self) -> bytes:
        values = array("q", chain.from_iterable(self.columns))
        if sys.byteorder == "big":
            values.byteswap()
        raw = values.tobytes()
        return zlib.compress(b"".join(raw[plane::_WIDTH] for plane in range(_WIDTH)))

    @classmethod
    def unpack(cls, data: bytes | memoryview) -> "Readings":
        planes = zlib.decompress(data)
        count = len(planes) // _WIDTH
        raw = bytearray(len(planes))
        for plane in range(_WIDTH):
            raw[plane::_WIDTH] = planes[plane * count : (plane + 1) * count]
        values = array("q", raw)
        if sys.byteorder == "big":
            values.byteswap()
        size = count // len(FIELDS)
        return cls([values[i * size : (i + 1) * size].tolist() for i in range(len(FIELDS))])

    @staticmethod
    def unpack_one(data: bytes | memoryview, offset: int) -> dict[str, int] | None:
        """`reading(offset)` of the packed `data`, without unpacking the other series."""
        planes = zlib.decompress(data)
        count = len(planes) // _WIDTH
        size = count // len(FIELDS)
        if offset >= size:
            return None
        # Value i's bytes are planes[i], planes[count + i], …: every count-th byte from i.
        reading = {
            name: int.from_bytes(planes[index * size + offset :: count], "little", signed=True)
            for index, name in enumerate(FIELDS)
        }
        return reading if reading["samples"] else None

    def row_fields(self, block: int) -> dict[str, Any]:
        """The packed fields of the UtilisationSample holding these readings at `block`."""
        return {"block": block, "series_count": self.series_count, "data": self.pack()}


def packed_rows(readings: Mapping[int, Mapping[str, int]]) -> list[dict[str, Any]]:
    """`row_fields` of each row holding `readings` ({position: samples and amounts})."""
    blocks: dict[int, Readings] = {}
    for position in sorted(readings, reverse=True):  # the last one sizes its block
        block, offset = divmod(position, SERIES_PER_ROW)
        if block not in blocks:
            blocks[block] = Readings.empty(offset + 1)
        reading = readings[position]
        blocks[block].set(offset, reading["samples"], reading)
    return [packed.row_fields(block) for block, packed in sorted(blocks.items())]


def _padded(column: list[int], size: int) -> list[int]:
    return column + [0] * (size - len(column)) if len(column) < size else column
