"""Who may do what with materials (pure questions)."""

from __future__ import annotations

from typing import Any

from dangan.agencies.models import Role
from dangan.agencies.policies import staff_of
from dangan.dossiers.models import Dossier
from dangan.dossiers.policies import can_act_on_dossier
from dangan.materials.models import Material

RECEIVE_ROLES = (Role.DATA_CLERK, Role.COUNTER_CLERK, Role.ARCHIVE_KEEPER)
APPRAISE_ROLES = (Role.APPROVER, Role.ARCHIVE_KEEPER)
FILE_ROLES = (Role.ARCHIVE_KEEPER,)


def can_receive(user: Any, dossier: Dossier) -> bool:
    return can_act_on_dossier(user, dossier, *RECEIVE_ROLES)


def can_appraise(user: Any, dossier: Dossier) -> bool:
    return can_act_on_dossier(user, dossier, *APPRAISE_ROLES)


def received_it(user: Any, material: Material) -> bool:
    """Separation of duties: whoever received a material does not appraise it."""
    return bool(material.received_by_id == getattr(user, "pk", None))


def can_file(user: Any, dossier: Dossier) -> bool:
    """The holding agency's archive keeper, or the keeper of the storeroom that has the paper (R47)."""
    if can_act_on_dossier(user, dossier, *FILE_ROLES):
        return True
    staff = staff_of(user)
    return staff is not None and staff.agency_id == dossier.custodian_id and Role.ARCHIVE_KEEPER in staff.role_set
