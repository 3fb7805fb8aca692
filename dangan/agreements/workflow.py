"""Status transitions of employers, agreements, renewals and roster entries (pure).

Services move a status only through `move`, which refuses a transition the table does not list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dangan.agreements.models import AgreementStatus as A
from dangan.agreements.models import EmployerStatus as E
from dangan.agreements.models import RenewalStatus as R
from dangan.agreements.models import RosterStatus as S
from dangan.core.errors import Conflict


@dataclass(frozen=True)
class Machine:
    name: str
    # from → {to: the process that moves it}
    transitions: Mapping[str, Mapping[str, str]]

    def can(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, {})

    def process(self, current: str, target: str) -> str | None:
        return self.transitions.get(current, {}).get(target)


EMPLOYER = Machine(
    "employer",
    {E.ACTIVE: {E.DEREGISTERED: "deregistration", E.REVOKED: "revocation"}, E.DEREGISTERED: {}, E.REVOKED: {}},
)
# Employer and personal agreements share the statuses; a personal agreement never expires by date (R26).
EMPLOYER_AGREEMENT = Machine(
    "employer_agreement", {A.IN_FORCE: {A.EXPIRED: "expiry", A.ENDED: "end"}, A.EXPIRED: {}, A.ENDED: {}}
)
PERSONAL_AGREEMENT = Machine("personal_agreement", {A.IN_FORCE: {A.ENDED: "end"}, A.ENDED: {}})
RENEWAL = Machine("renewal", {R.PENDING: {R.APPROVED: "approve", R.REJECTED: "reject"}, R.APPROVED: {}, R.REJECTED: {}})
ROSTER = Machine(
    "roster",
    {
        S.ACTIVE: {
            S.LEFT_PERSONAL: "departure_personal",
            S.AWAITING_TRANSFER: "departure_transfer",
            S.TRANSFERRED_OUT: "transfer",
            S.AGREEMENT_ENDED: "agreement_end",
        },
        S.AWAITING_TRANSFER: {
            S.TRANSFERRED_OUT: "transfer",
            S.LEFT_PERSONAL: "departure_personal",
            S.AGREEMENT_ENDED: "agreement_end",
        },
        S.LEFT_PERSONAL: {},
        S.TRANSFERRED_OUT: {},
        S.AGREEMENT_ENDED: {},
    },
)


def move(obj: Any, machine: Machine, target: str) -> str:
    """Set `obj.status` to `target` if the table allows it; return the process name."""
    process = machine.process(obj.status, target)
    if process is None:
        raise Conflict(
            _("当前状态为“%(status)s”，不能办理此项业务") % {"status": obj.get_status_display()},
            code="invalid_transition",
        )
    obj.status = target
    return process
