"""Progress of a run: the console polls it, the command line draws a bar.

A real run writes everything in one transaction, so its progress cannot be written in that
transaction (nobody else would see it before the end). On PostgreSQL the counters go through a
second connection, each write its own short transaction. SQLite has one writer at a time: while
the run holds it, the counters live in this process (the inline worker thread's process, the one
serving the console) and reach the table once the run's transaction ends.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from dangan.migration.models import ImportJob


class Progress(Protocol):
    def __call__(self, phase: str, done: int, total: int, errors: int) -> None: ...


@dataclass(frozen=True)
class Snapshot:
    phase: str
    done: int
    total: int
    errors: int


_LIVE: dict[int, Snapshot] = {}
_LIVE_LOCK = threading.Lock()


def live(job_id: int) -> Snapshot | None:
    with _LIVE_LOCK:
        return _LIVE.get(job_id)


def silent(phase: str, done: int, total: int, errors: int) -> None:
    """No one is watching."""


class JobProgress:
    """Writes a job's counters at most every `interval` seconds, outside the run's own transaction."""

    def __init__(self, job_id: int, *, interval: float = 0.5) -> None:
        self.job_id = job_id
        self.interval = interval
        self._last = 0.0
        self._side: Any = None

    def __call__(self, phase: str, done: int, total: int, errors: int) -> None:
        snapshot = Snapshot(phase, done, max(total, done), errors)
        with _LIVE_LOCK:
            _LIVE[self.job_id] = snapshot
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        self._write(snapshot)

    def _write(self, snapshot: Snapshot) -> None:
        values = {
            "phase": snapshot.phase,
            "rows_done": snapshot.done,
            "rows_total": snapshot.total,
            "error_count": snapshot.errors,
            "heartbeat_at": timezone.now(),
        }
        connection = connections[DEFAULT_DB_ALIAS]
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id).update(**values)
        elif connection.vendor == "postgresql":
            self._write_aside(values)
        # SQLite inside the run's transaction: the snapshot above is what the console reads.

    def _write_aside(self, values: dict[str, Any]) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = ImportJob._meta.db_table
        assignments = ", ".join(f"{name} = %s" for name in values)
        with self._side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values.values(), self.job_id])  # noqa: S608  (names are the model's own)

    def close(self) -> None:
        with _LIVE_LOCK:
            _LIVE.pop(self.job_id, None)
        if self._side is not None:
            self._side.close()
            self._side = None


class TextBar:
    """A progress bar on plain stdout, redrawn in place with \\r (no extra dependency)."""

    PHASES = {"validate": "校验", "import": "导入"}

    def __init__(self, stream: Any, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self._phase = ""
        self._last = 0.0

    def __call__(self, phase: str, done: int, total: int, errors: int) -> None:
        now = time.monotonic()
        if phase == self._phase and now - self._last < 0.1 and done < total:
            return
        if phase != self._phase and self._phase:
            self.stream.write("\n")
        self._phase, self._last = phase, now
        total = max(total, done, 1)
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        label = self.PHASES.get(phase, phase)
        self.stream.write(f"\r{label} [{bar}] {100 * done // total:3d}% {done:,}/{total:,} 行 错误 {errors:,}")
        self.stream.flush()

    def finish(self) -> None:
        if self._phase:
            self.stream.write("\n")
            self.stream.flush()
