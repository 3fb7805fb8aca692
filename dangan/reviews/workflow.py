"""Statuses and steps of the two request types (pure).

Steps with side effects (drafting and approving an extract, releasing it, completing a Party transfer) are taken
only by this app's services; the casework table registers just the plain steps (reject, withdraw, send back),
so the generic "next step" page cannot skip the extract, the separation of duties or the branch change.
"""

from __future__ import annotations

# --- Political review (政审/考察) ----------------------------------------------------------------

SUBMITTED = "submitted"
DRAFTED = "drafted"
APPROVED = "approved"
RELEASED = "released"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

REVIEW_STATUSES: dict[str, str] = {
    SUBMITTED: "已受理",
    DRAFTED: "摘录已生成待审核",
    APPROVED: "已审核待出具",
    RELEASED: "已出具",
    REJECTED: "不予办理",
    WITHDRAWN: "已撤回",
}
REVIEW_FINAL = frozenset({RELEASED, REJECTED, WITHDRAWN})

# from → {to: Chinese step label}; the dedicated steps, taken by reviews.services only.
REVIEW_DEDICATED: dict[str, dict[str, str]] = {
    SUBMITTED: {DRAFTED: "生成摘录"},
    DRAFTED: {DRAFTED: "重新生成摘录", APPROVED: "审核通过"},
    APPROVED: {RELEASED: "出具"},
}
# PDF and release only after approval.
PRINTABLE = frozenset({APPROVED, RELEASED})


def review_may(current: str, target: str) -> bool:
    return target in REVIEW_DEDICATED.get(current, {})


# --- Party-membership transfer (党员组织关系接转) -----------------------------------------------

COMPLETED = "completed"

PARTY_STATUSES: dict[str, str] = {
    SUBMITTED: "已受理",
    COMPLETED: "已办结",
    REJECTED: "不予办理",
    WITHDRAWN: "已撤回",
}
PARTY_FINAL = frozenset({COMPLETED, REJECTED, WITHDRAWN})
PARTY_DEDICATED: dict[str, dict[str, str]] = {SUBMITTED: {COMPLETED: "办结（登记报到）"}}


def party_may(current: str, target: str) -> bool:
    return target in PARTY_DEDICATED.get(current, {})
