"""Who may do what: pure questions about a user, its roles and its agency's scope."""

from __future__ import annotations

from typing import Any

from dangan.agencies.models import Agency, Role, Staff

READ_ONLY_ROLES = frozenset({Role.SUPERVISOR})
WORKING_ROLES = frozenset(Role) - READ_ONLY_ROLES


def staff_of(user: Any) -> Staff | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        staff: Staff = user.staff
    except Staff.DoesNotExist:
        return None
    return staff


def has_role(user: Any, *roles: str) -> bool:
    staff = staff_of(user)
    return staff is not None and bool(staff.role_set.intersection(roles))


def is_supervisor_only(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role_set <= READ_ONLY_ROLES


def can_read_agency(user: Any, agency: Agency) -> bool:
    """Own agency always; a supervisor reads its agency's whole subtree (R48)."""
    staff = staff_of(user)
    if staff is None:
        return False
    if agency.pk == staff.agency_id:
        return True
    return Role.SUPERVISOR in staff.role_set and agency.path.startswith(staff.agency.path)


def can_act_for_agency(user: Any, agency: Agency, *roles: str) -> bool:
    """Acting (writing) is for working roles inside the user's own agency."""
    staff = staff_of(user)
    if staff is None or staff.agency_id != agency.pk:
        return False
    wanted = frozenset(roles) if roles else WORKING_ROLES
    return bool(staff.role_set & wanted & WORKING_ROLES)
