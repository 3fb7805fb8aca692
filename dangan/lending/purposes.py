"""The purposes a consultation may serve (R13), read from data so they can be corrected without code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "purposes.json"


@dataclass(frozen=True)
class Purpose:
    key: str
    label: str


@cache
def purposes() -> tuple[Purpose, ...]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(Purpose(key=p["key"], label=p["label"]) for p in raw["purposes"])


def purpose_keys() -> tuple[str, ...]:
    return tuple(p.key for p in purposes())


def purpose_label(key: str) -> str:
    return next((p.label for p in purposes() if p.key == key), key)


def choices() -> list[tuple[str, str]]:
    return [(p.key, p.label) for p in purposes()]
