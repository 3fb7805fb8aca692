"""The purposes a political review may serve, kept as data (`data/purposes.json`), never as literals in code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "purposes.json"


@dataclass(frozen=True)
class Purpose:
    code: str
    name: str
    description: str = ""


@cache
def purposes() -> tuple[Purpose, ...]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = json.load(handle)
    return tuple(Purpose(code=r["code"], name=r["name"], description=r.get("description", "")) for r in rows)


def choices() -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in purposes()]


def name_of(code: str) -> str:
    return next((p.name for p in purposes() if p.code == code), code)


def is_known(code: str) -> bool:
    return any(p.code == code for p in purposes())
