"""Who may do what with certificates (pure questions about a user and an agency)."""

from __future__ import annotations

from typing import Any

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, has_role

ISSUERS = (Role.COUNTER_CLERK, Role.ONLINE_OFFICER)
REVOKERS = (Role.APPROVER,)


def can_issue(user: Any, agency: Agency) -> bool:
    """The holder's clerks issue (R33: wherever it was applied for, the holder of the record certifies)."""
    return can_act_for_agency(user, agency, *ISSUERS)


def can_revoke(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, *REVOKERS)


def can_manage_types(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)
