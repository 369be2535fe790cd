"""Sync runs: one row per attempt to mirror a connected cloud, with its outcome and its changes."""

from django.db import models

from aggregates.choices import HeldResolution, SyncStatus
from aggregates.models.clouds import Cloud

MAX_RECORDED_CHANGES = 500  # per run; the counts stay exact beyond it


class SyncRun(models.Model):
    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="sync_runs")
    status = models.CharField(max_length=10, choices=SyncStatus.choices, default=SyncStatus.RUNNING)
    task_id = models.CharField(max_length=255, blank=True)  # Celery's, or "" in the foreground
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    write_ms = models.PositiveIntegerField(null=True, blank=True)  # the transaction alone
    microversion = models.CharField(max_length=10, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    gone = models.PositiveIntegerField(default=0)  # rows marked gone (kept, hidden from lists)
    # Removals not applied because a kind would lose more than STACKBOARD_SYNC_HOLD_SHARE of
    # its rows: {"host": [{"key": "compute-3", "name": "compute-3"}, …]}, until an admin
    # confirms them or the next sync decides (held_resolution).
    held = models.JSONField(default=dict, blank=True)
    held_resolution = models.CharField(
        max_length=10, choices=HeldResolution.choices, blank=True, default=""
    )
    held_resolved_at = models.DateTimeField(null=True, blank=True)
    held_resolved_by = models.CharField(max_length=150, blank=True)
    # [{"kind": "aggregate", "name": "agg-1", "action": "updated", "fields": ["metadata"]}, …]
    changes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)  # the compute API's message, verbatim
    error_status = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["cloud", "-started_at"], name="syncrun_cloud_started")]

    def __str__(self) -> str:
        return f"sync of {self.cloud_id} at {self.started_at:%Y-%m-%d %H:%M:%S}: {self.status}"

    @property
    def held_count(self) -> int:
        return sum(len(rows) for rows in self.held.values())

    @property
    def holds_removals(self) -> bool:
        """Whether removals wait for an admin or the next sync."""
        return bool(self.held) and not self.held_resolution

    @property
    def changed_rows(self) -> int:
        return self.created + self.updated + self.deleted
