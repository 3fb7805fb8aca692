"""The dossier's status transitions (pure): which status may follow which, and by which processes."""

from __future__ import annotations

from dangan.dossiers.models import DossierStatus as S

# from → {to: the processes that may make that move}
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.IN_CUSTODY: {
        S.ON_LOAN: frozenset({"loan"}),
        S.IN_TRANSFER: frozenset({"transfer", "retirement", "death"}),
    },
    S.ON_LOAN: {S.IN_CUSTODY: frozenset({"loan_return"})},
    S.IN_TRANSFER: {
        S.IN_CUSTODY: frozenset({"transfer_arrival", "transfer_cancel"}),  # arrival: at the new holder on the platform
        S.TRANSFERRED_OUT: frozenset({"transfer_slip"}),  # receiver outside the platform returned the slip
        S.RETIRED: frozenset({"retirement_slip"}),
        S.DECEASED: frozenset({"death_slip"}),
    },
    S.TRANSFERRED_OUT: {},
    S.RETIRED: {},
    S.DECEASED: {},
}

# Statuses in which the agency still has the paper and the dossier counts in its stock.
IN_STOCK = frozenset({S.IN_CUSTODY, S.ON_LOAN, S.IN_TRANSFER})


def can_move(current: str, target: str, process: str) -> bool:
    return process in TRANSITIONS.get(current, {}).get(target, frozenset())
