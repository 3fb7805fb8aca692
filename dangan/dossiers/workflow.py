"""The dossier's status transitions (pure): which status may follow which, and by what process."""

from __future__ import annotations

from dangan.dossiers.models import DossierStatus as S

# from → {to: the process that moves it}
TRANSITIONS: dict[str, dict[str, str]] = {
    S.IN_CUSTODY: {S.ON_LOAN: "loan", S.IN_TRANSFER: "transfer", S.RETIRED: "retirement", S.DECEASED: "death"},
    S.ON_LOAN: {S.IN_CUSTODY: "loan_return"},
    S.IN_TRANSFER: {S.TRANSFERRED_OUT: "transfer_receipt", S.IN_CUSTODY: "transfer_cancel"},
    S.TRANSFERRED_OUT: {},
    S.RETIRED: {},
    S.DECEASED: {},
}

# Statuses in which the agency still has the paper and the dossier counts in its stock.
IN_STOCK = frozenset({S.IN_CUSTODY, S.ON_LOAN, S.IN_TRANSFER})


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, {})


def process_for(current: str, target: str) -> str | None:
    return TRANSITIONS.get(current, {}).get(target)
