"""The dossier's status transitions (pure): which status may follow which, and by which processes."""

from __future__ import annotations

from dangan.dossiers.models import DossierStatus as S

# The process by which an intake at the counter takes a dossier that had left the platform back into stock (R7).
RETURN_INTAKE = "return_intake"

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
    # R7: a dossier transferred to an agency outside the platform may come back one day (the person returns from
    # another province): the receiving agency's intake takes the same dossier back into stock (R1: one per person).
    S.TRANSFERRED_OUT: {S.IN_CUSTODY: frozenset({RETURN_INTAKE})},
    # R18/R19: handed over for good (township or street service center; preservation): the R18/R19 receiver keeps
    # it, it is no mobile worker's dossier any more and is never taken back at intake.
    S.RETIRED: {},
    S.DECEASED: {},
}

# Statuses in which the agency still has the paper and the dossier counts in its stock.
IN_STOCK = frozenset({S.IN_CUSTODY, S.ON_LOAN, S.IN_TRANSFER})

# Statuses from which an intake may take the dossier back into stock (R7).
RETURNABLE = frozenset(
    status for status, moves in TRANSITIONS.items() if RETURN_INTAKE in moves.get(S.IN_CUSTODY, frozenset())
)


def can_move(current: str, target: str, process: str) -> bool:
    return process in TRANSITIONS.get(current, {}).get(target, frozenset())
