"""Who may do what with employers and agreements (pure)."""

from __future__ import annotations

from typing import Any

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, can_read_agency, staff_of

# Counter clerks and online officers sign and record; approvers approve renewals and end for breach.
SIGN_ROLES = (Role.COUNTER_CLERK, Role.ONLINE_OFFICER)
APPROVE_ROLES = (Role.APPROVER,)
NOTICE_ROLES = (Role.APPROVER, Role.ADMINISTRATOR)
# Supervisors read only (R48); archive keepers and data clerks do not work with agreements.
READ_ROLES = frozenset({*SIGN_ROLES, *APPROVE_ROLES, Role.SUPERVISOR, Role.ADMINISTRATOR})


def can_view_agreements(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and bool(staff.role_set & READ_ROLES)


def can_read(user: Any, agency: Agency) -> bool:
    return can_view_agreements(user) and can_read_agency(user, agency)


def can_sign(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, *SIGN_ROLES)


def can_approve(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, *APPROVE_ROLES)


def can_publish_notice(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, *NOTICE_ROLES)
