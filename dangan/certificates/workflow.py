"""The certificate request's steps (pure): which request status allows issuing, and a certificate's own states."""

from __future__ import annotations

SUBMITTED = "submitted"
APPROVED = "approved"
ISSUED = "issued"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

STATUSES = {
    SUBMITTED: "已受理",
    APPROVED: "已审核",
    ISSUED: "已出具",
    REJECTED: "不予出具",
    WITHDRAWN: "已撤回",
}
FINAL = frozenset({ISSUED, REJECTED, WITHDRAWN})

# A certificate: valid → revoked, and nothing else (its text never changes after issue).
CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {"valid": frozenset({"revoked"}), "revoked": frozenset()}


def may_issue(request_status: str, *, needs_approval: bool) -> bool:
    """A type that needs approval is issued only after the approver's step; others straight from intake."""
    return request_status == APPROVED if needs_approval else request_status in {SUBMITTED, APPROVED}


def may_revoke(certificate_status: str) -> bool:
    return "revoked" in CERTIFICATE_TRANSITIONS.get(certificate_status, frozenset())
