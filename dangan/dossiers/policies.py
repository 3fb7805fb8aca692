from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dangan.agencies.models import Role
from dangan.agencies.policies import can_act_for_agency, can_read_agency, staff_of
from dangan.dossiers.models import Dossier

# R43: roles whose work needs the full ID number on the detail page.
FULL_ID_ROLES = frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER, Role.ARCHIVE_KEEPER, Role.DATA_CLERK})


def can_read_dossier(user: Any, dossier: Dossier) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    if dossier.custodian_id == staff.agency_id and Role.ARCHIVE_KEEPER in staff.role_set:
        return True
    return can_read_agency(user, dossier.holding_agency)


def can_act_on_dossier(user: Any, dossier: Dossier, *roles: str) -> bool:
    return can_act_for_agency(user, dossier.holding_agency, *roles)


def sees_full_id_number(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and bool(staff.role_set & FULL_ID_ROLES)


# Upper apps add checks that may refuse a read whatever the scope (lending: recusal from a relative's dossier, R13).
_READ_GUARDS: list[Callable[[Any, Dossier], str | None]] = []


def register_read_guard(guard: Callable[[Any, Dossier], str | None]) -> None:
    if guard not in _READ_GUARDS:
        _READ_GUARDS.append(guard)


def read_refusal(user: Any, dossier: Dossier) -> str | None:
    """The reason a user may not open this dossier even within scope, or None."""
    for guard in _READ_GUARDS:
        reason = guard(user, dossier)
        if reason:
            return reason
    return None
