"""Bulk writers that bypass model signals (COPY, bulk_create) report the dossiers they wrote here, so derived
data kept by upper apps (the dashboard's counters) follows them in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable

_listeners: list[Callable[[Iterable[int]], None]] = []


def on_dossiers_written(listener: Callable[[Iterable[int]], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def dossiers_written(ids: Iterable[int]) -> None:
    """Call inside the writing transaction, after the dossiers, persons and histories are written."""
    pending = list(ids)
    for listener in _listeners:
        listener(pending)
