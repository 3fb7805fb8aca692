"""Who may do what in the storerooms, and the shelving order (R41): pure functions."""

from __future__ import annotations

import re
from typing import Any

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, staff_of

# Roles that open the storage pages; supervisors read only (R48).
STORAGE_READERS = frozenset({Role.ARCHIVE_KEEPER, Role.ADMINISTRATOR, Role.SUPERVISOR})

ShelfKey = tuple[tuple[tuple[int, int, str], ...], str]

_RUNS = re.compile(r"(\d+)")


def can_view_storage(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and bool(staff.role_set & STORAGE_READERS)


def can_create_room(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, Role.ADMINISTRATOR)


def can_keep(user: Any, agency: Agency) -> bool:
    """Laying out, shelving and moving are for the archive keepers of the agency that holds the paper (R47)."""
    return can_act_for_agency(user, agency, Role.ARCHIVE_KEEPER)


def number_key(number: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order of dossier numbers: digit runs compare as numbers ("A9" < "A10")."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _RUNS.split(number) if part)


def shelf_key(number: str, holding_agency_code: str) -> ShelfKey:
    """Numbers are unique per holding agency; a central storeroom orders equal numbers by agency."""
    return number_key(number), holding_agency_code


def in_order(before: ShelfKey | None, key: ShelfKey, after: ShelfKey | None) -> bool:
    return (before is None or before < key) and (after is None or key < after)
