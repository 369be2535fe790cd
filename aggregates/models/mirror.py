"""Rows a sync mirrors and may find missing: marked gone, never deleted on one listing's word.

A host, aggregate or flavor the compute API stops listing is kept with its history and hidden
from every list (`objects` skips it); it returns, same row, if a later listing has it again,
and a sync purges it once it has stayed gone for STACKBOARD_SYNC_GONE_RETENTION_DAYS."""

from django.db import models


class LiveRows(models.Manager):
    """The default manager: rows the compute API still lists (related managers use it too)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(gone_since__isnull=True)


class Mirrored(models.Model):
    # When a sync first found the row missing from a complete listing; None while listed.
    gone_since = models.DateTimeField(null=True, blank=True)

    objects = LiveRows()
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field): the sync sees gone rows

    class Meta:
        abstract = True
