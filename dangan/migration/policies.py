"""Who may migrate data (pure): the data clerks and administrators of a holding agency."""

from __future__ import annotations

from typing import Any

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, staff_of

IMPORT_ROLES = frozenset({Role.DATA_CLERK, Role.ADMINISTRATOR})


def can_use_migration(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and bool(staff.role_set & IMPORT_ROLES)


def can_import(user: Any, agency: Agency) -> bool:
    return agency.holds_dossiers and can_act_for_agency(user, agency, *IMPORT_ROLES)


def custodian_choices(agency: Agency) -> list[Agency]:
    """R47: the paper stays with the holding agency, or goes to its default custodian or the city center above it."""
    choices = [agency]
    for other in (agency.default_custodian, agency.parent):
        if other is not None and other.holds_dossiers and other.is_active and other not in choices:
            choices.append(other)
    return choices
