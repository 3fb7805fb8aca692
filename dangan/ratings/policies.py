"""Who may do what with ratings and rectification cases (pure questions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, can_read_agency, staff_of

CASE_HANDLERS = frozenset({Role.SUPERVISOR, Role.APPROVER})
REPORT_READERS = frozenset({Role.SUPERVISOR, Role.APPROVER, Role.ADMINISTRATOR})


def can_end_visit(user: Any, agency: Agency) -> bool:
    return can_act_for_agency(user, agency, Role.COUNTER_CLERK)


def can_read_case(user: Any, agency: Agency) -> bool:
    return can_read_agency(user, agency)


def can_handle_case(user: Any, agency: Agency, rated_staff_id: int | None) -> bool:
    """The rated agency's supervisor or approver verifies, answers, closes and appeals — never the rated person."""
    staff = staff_of(user)
    if staff is None or staff.agency_id != agency.pk or not staff.role_set & CASE_HANDLERS:
        return False
    return rated_staff_id is None or user.pk != rated_staff_id


def can_decide_appeal(user: Any, agency: Agency) -> bool:
    """A supervisor of an agency above the rated one (its parent or higher) decides the appeal."""
    staff = staff_of(user)
    if staff is None or Role.SUPERVISOR not in staff.role_set or staff.agency_id == agency.pk:
        return False
    return agency.path.startswith(staff.agency.path)


def can_read_report(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and bool(staff.role_set & REPORT_READERS)


# Extra ways to recognise the applicant of an online matter (the portal may register one); see is_applicant.
_RATER_CHECKS: list[Callable[[Any, Any], bool]] = []


def register_rater_check(check: Callable[[Any, Any], bool]) -> None:
    if check not in _RATER_CHECKS:
        _RATER_CHECKS.append(check)


def is_applicant(rater: Any, request: Any) -> bool:
    """Whether the rater applied for this matter. Accepted, in order:
    1. the user who submitted it (``ServiceRequest.submitted_by``: the portal account that applied online);
    2. a user whose portal account's ID number or credit code equals the request's applicant number
       (read by duck typing from ``user.portal_account``: the portal sits above this app);
    3. any check registered with ``register_rater_check(check(rater, request) -> bool)``."""
    if rater is None or not getattr(rater, "is_authenticated", False):
        return False
    if request.submitted_by_id is not None and request.submitted_by_id == rater.pk:
        return True
    account = getattr(rater, "portal_account", None)
    numbers = {str(getattr(account, "id_number", "") or ""), str(getattr(account, "credit_code", "") or "")} - {""}
    if request.applicant_id_number and request.applicant_id_number.upper() in {n.upper() for n in numbers}:
        return True
    return any(check(rater, request) for check in _RATER_CHECKS)
