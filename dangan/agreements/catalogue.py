"""The services an agreement may cover (R23), read from `data/services.csv`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "services.csv"
EMPLOYER = "employer"
PERSONAL = "personal"


@dataclass(frozen=True)
class Service:
    code: str
    no: int
    name: str


@cache
def services(kind: str) -> tuple[Service, ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["kind"] == kind]
    if not rows:
        raise KeyError(f"no services of kind {kind!r}")
    return tuple(
        Service(code=r["code"], no=int(r["no"]), name=r["name"]) for r in sorted(rows, key=lambda r: int(r["no"]))
    )


def codes(kind: str) -> list[str]:
    return [s.code for s in services(kind)]


def choices(kind: str) -> list[tuple[str, str]]:
    return [(s.code, f"{s.no}. {s.name}") for s in services(kind)]


def ordered(kind: str, selected: list[str]) -> list[str]:
    """The selected codes in the annex's order, without repeats."""
    wanted = set(selected)
    return [code for code in codes(kind) if code in wanted]


def numbers(kind: str, selected: list[str]) -> str:
    """The item numbers as written in the agreement's blank, e.g. "1、2、5"."""
    wanted = set(selected)
    return "、".join(str(s.no) for s in services(kind) if s.code in wanted)


def rows(kind: str, selected: list[str]) -> list[tuple[Service, bool]]:
    wanted = set(selected)
    return [(s, s.code in wanted) for s in services(kind)]
