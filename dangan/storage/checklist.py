"""The storeroom checklist of R39 (the nine protections and the climate targets), read from data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "protections.json"


@dataclass(frozen=True)
class Protection:
    key: str
    label: str


@dataclass(frozen=True)
class Range:
    label: str
    min: float
    max: float
    unit: str

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max

    def __str__(self) -> str:
        return f"{self.min:g}–{self.max:g} {self.unit}"


@dataclass(frozen=True)
class Checklist:
    protections: tuple[Protection, ...]
    temperature: Range
    humidity: Range

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.protections)

    def label(self, key: str) -> str:
        return next((p.label for p in self.protections if p.key == key), key)


@cache
def checklist() -> Checklist:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    climate = raw["climate"]
    return Checklist(
        protections=tuple(Protection(key=p["key"], label=p["label"]) for p in raw["protections"]),
        temperature=Range(**climate["temperature"]),
        humidity=Range(**climate["humidity"]),
    )
