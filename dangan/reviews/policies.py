"""Who may do what with political reviews and Party transfers (pure questions about a user and an agency)."""

from __future__ import annotations

from typing import Any

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, staff_of

# Reading an extract is reading dossier content (R43): the people who work the request, and supervisors.
READ_ROLES = frozenset({Role.COUNTER_CLERK, Role.ONLINE_OFFICER, Role.ARCHIVE_KEEPER, Role.APPROVER, Role.SUPERVISOR})
DRAFT_ROLES = (Role.COUNTER_CLERK, Role.ONLINE_OFFICER, Role.ARCHIVE_KEEPER)
APPROVE_ROLES = (Role.APPROVER,)
RELEASE_ROLES = (Role.COUNTER_CLERK, Role.ONLINE_OFFICER)
PARTY_ROLES = (Role.COUNTER_CLERK, Role.ONLINE_OFFICER)

# GB/T 4762: 01 中共党员, 02 中共预备党员 — the only persons whose Party relation this agency moves.
PARTY_MEMBER_STATUSES = frozenset({"01", "02"})


def can_read(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and bool(staff.role_set & READ_ROLES)


def can_draft(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, *DRAFT_ROLES)


def can_approve(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, *APPROVE_ROLES)


def can_release(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, *RELEASE_ROLES)


def can_handle_party(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, *PARTY_ROLES)


def is_party_member(political_status: str) -> bool:
    return political_status in PARTY_MEMBER_STATUSES


def separated(drafter_id: int | None, approver_id: int | None) -> bool:
    """Separation of duties: the approver is someone other than whoever generated the extract."""
    return drafter_id is not None and approver_id is not None and drafter_id != approver_id
