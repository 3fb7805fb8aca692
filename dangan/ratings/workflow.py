"""The rectification case's transitions (pure): action → (from statuses, to status)."""

from __future__ import annotations

from dangan.ratings.models import CaseStatus as S

# action: {from: to}
TRANSITIONS: dict[str, dict[str, str]] = {
    "verify": {S.OPEN: S.VERIFIED},
    "answer": {S.VERIFIED: S.ANSWERED},
    "close": {S.ANSWERED: S.CLOSED},
    "appeal": {S.OPEN: S.APPEALED, S.VERIFIED: S.APPEALED},
    "uphold": {S.APPEALED: S.VOIDED},
    # A dismissed appeal returns the case to where it was; the clock was never stopped.
    "dismiss": {S.APPEALED: ""},
}

ACTION_LABELS = {
    "verify": "核实",
    "answer": "整改答复",
    "close": "办结",
    "appeal": "申诉",
    "uphold": "申诉成立",
    "dismiss": "申诉不成立",
}


def next_status(current: str, action: str, *, before_appeal: str = "") -> str | None:
    """The status after the action, or None when the action is not allowed now."""
    moves = TRANSITIONS.get(action, {})
    if current not in moves:
        return None
    target = moves[current]
    return target or before_appeal or None


def actions_from(current: str) -> list[str]:
    return [action for action, moves in TRANSITIONS.items() if current in moves]
