"""The only code that writes lending data: recusal register, consultations, loans."""

from dangan.lending.services.consultations import (
    consultation_apply,
    consultation_approve,
    consultation_close,
    consultation_reject,
    consultation_withdraw,
    copy_certify,
    copy_decide,
    copy_request,
    session_close,
    session_open,
)
from dangan.lending.services.loans import (
    loan_apply,
    loan_approve,
    loan_lend,
    loan_reject,
    loan_return,
    loan_withdraw,
    loans_flag_overdue,
)
from dangan.lending.services.relatives import relative_declare, relative_withdraw

__all__ = [
    "consultation_apply",
    "consultation_approve",
    "consultation_close",
    "consultation_reject",
    "consultation_withdraw",
    "copy_certify",
    "copy_decide",
    "copy_request",
    "loan_apply",
    "loan_approve",
    "loan_lend",
    "loan_reject",
    "loan_return",
    "loan_withdraw",
    "loans_flag_overdue",
    "relative_declare",
    "relative_withdraw",
    "session_close",
    "session_open",
]
