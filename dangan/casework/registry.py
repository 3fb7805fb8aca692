"""Service types register here when their app loads; casework never imports the service apps."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    required: bool = True
    applicants: frozenset[str] = frozenset({"person", "employer", "organisation"})


@dataclass(frozen=True)
class Step:
    to: str
    label: str
    roles: frozenset[str]


@dataclass(frozen=True)
class ServiceType:
    code: str
    label: str
    time_limit_days: int  # working days, counter channel
    checklist: tuple[ChecklistItem, ...]
    transitions: dict[str, tuple[Step, ...]]
    statuses: dict[str, str]  # code → Chinese label
    final: frozenset[str]
    applicants: frozenset[str] = frozenset({"person", "employer", "organisation"})
    province_wide: bool = False  # R33: may be accepted at any agency of the province
    needs_dossier: bool = True
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # Steps with side effects of their own: only the service app's dedicated service may take them.
    dedicated_steps: frozenset[str] = frozenset()

    def is_dedicated(self, target: str) -> bool:
        listed = {s.strip() for s in self.extra.get("dedicated_steps", "").split(",") if s.strip()}
        return target in self.dedicated_steps or target in listed

    def checklist_for(self, applicant_kind: str) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.checklist if applicant_kind in i.applicants)

    def step(self, current: str, target: str) -> Step | None:
        return next((s for s in self.transitions.get(current, ()) if s.to == target), None)


_TYPES: dict[str, ServiceType] = {}
_VERSION = 0  # bumped by every registration


def register(service_type: ServiceType) -> ServiceType:
    global _VERSION  # noqa: PLW0603  (the registry is module state by design: apps register at start-up)
    _VERSION += 1
    _TYPES[service_type.code] = service_type
    return service_type


def get(code: str) -> ServiceType | None:
    return _TYPES.get(code)


def version() -> int:
    """Changes whenever a type is registered: what is derived from the registry may be cached by it."""
    return _VERSION


def all_types() -> list[ServiceType]:
    return sorted(_TYPES.values(), key=lambda t: t.code)


def status_label(code: str, status: str) -> str:
    service_type = _TYPES.get(code)
    return service_type.statuses.get(status, status) if service_type else status
