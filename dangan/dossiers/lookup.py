"""The lookup at the counter and over the API: `selectors.dossier_search`'s search as one narrow statement,
prepared once per connection (`core.prepared`), returning plain rows instead of three joined models.

A test holds its results equal to `dossier_search` for every query shape and scope.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import readable_agency_ids
from dangan.core import prepared
from dangan.dossiers.models import Dossier, DossierStatus, Person, mask_id_number
from dangan.dossiers.selectors import query_shape

_STATUS_LABELS = dict(DossierStatus.choices)


@dataclass(frozen=True, slots=True)
class DossierHit:
    id: int
    number: str
    barcode: str
    status: str
    received_on: datetime.date
    name: str
    id_number: str
    holding_agency: str

    @property
    def pk(self) -> int:
        return self.id

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def status_label(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))


@dataclass(frozen=True, slots=True)
class LookupPage:
    count: int
    hits: list[DossierHit]


def _name_bounds(prefix: str) -> str:
    """The first string after every string starting with `prefix`, in code-point (UTF-8 byte) order."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000
    return prefix[:-1] + chr(min(last, 0x10FFFF))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# How many dossiers these agencies hold, all statuses, from counters kept in step (analytics registers it):
# counting a province's million rows for every unfiltered list page takes most of a second.
_held_counters: list[Callable[[list[int]], int]] = []


def register_held_count(count: Callable[[list[int]], int]) -> None:
    if count not in _held_counters:
        _held_counters.append(count)


@dataclass(frozen=True, slots=True)
class _Search:
    where: str
    params: list[Any]
    order: str
    shape: str
    agencies: list[int]
    keeper: int | None


def _where(user: Any, query: str) -> _Search | None:
    """The search's WHERE clause, parameters, ORDER BY and shape, or None for a user who is not staff."""
    staff = staff_of(user)
    if staff is None:
        return None
    agencies = readable_agency_ids(user)
    scope, params = prepared.in_list("d.holding_agency_id", agencies)
    keeper = staff.agency_id if Role.ARCHIVE_KEEPER in staff.role_set else None
    # the same statement text for every user: a non-keeper compares custodian_id to NULL, which is never true
    where = f"({scope} OR d.custodian_id = %s)"
    params.append(keeper)
    shape, value = query_shape(query)
    order = "d.id"
    if shape == "all":
        order = "d.received_on DESC, d.id DESC"
    elif shape == "id_number":
        where += " AND p.id_number = %s"
        params.append(value)
    elif shape == "barcode":
        where += " AND d.barcode = %s"
        params.append(value)
    elif shape == "number":
        where += " AND d.number = %s"
        params.append(value)
    else:
        order = "p.name, p.id"  # ties by person: a person has one dossier
        if connection.vendor == "postgresql":
            # Code-point order with bounds a generic (prepared) plan can use: it reads the first page straight
            # from person_name_c_idx (name COLLATE "C", id) and stops; it cannot derive bounds from LIKE $1.
            order = 'p.name COLLATE "C", p.id'
            where += ' AND p.name COLLATE "C" >= %s AND p.name COLLATE "C" < %s AND p.name LIKE %s'
            params += [value, _name_bounds(value), _like_escape(value) + "%"]
        else:
            where += " AND p.name LIKE %s ESCAPE '\\'"
            params.append(_like_escape(value) + "%")
    return _Search(where, params, order, shape, agencies, keeper)


_FROM = f"FROM {Dossier._meta.db_table} d JOIN {Person._meta.db_table} p ON p.id = d.person_id"


def dossier_lookup(user: Any, query: str, *, limit: int = 20, offset: int = 0) -> LookupPage:
    """One page of the dossiers `user` may read that match `query`, with the total count."""
    found = _where(user, query)
    if found is None:
        return LookupPage(0, [])
    where, params, order, shape = found.where, found.params, found.order, found.shape
    # Past any stock there will be, and within the databases' 64-bit integers (a fuzzer sends 10^25).
    offset = min(max(offset, 0), _LAST_OFFSET)
    # A name may match a few hundred people: the total comes with the page (one round trip, not two).
    # Other shapes match one dossier, or all of them, where a count over the window would cost the page.
    windowed = shape == "name"
    rows = prepared.fetch(
        "SELECT d.id, d.number, d.barcode, d.status, d.received_on, p.name, p.id_number, a.short_name"
        f"{', count(*) OVER ()' if windowed else ''} "
        f"{_FROM} JOIN {Agency._meta.db_table} a ON a.id = d.holding_agency_id "
        f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
        [*params, limit, offset],
    )
    hits = [DossierHit(*row[:8]) for row in rows]
    if windowed and rows:
        count = rows[0][8]
    elif len(hits) < limit and (hits or offset == 0):
        count = offset + len(hits)
    else:
        count = _count(found)
    return LookupPage(count, hits)


_LAST_OFFSET = 2**31 - 1


def _count(found: _Search) -> int:
    if found.shape == "all" and _held_counters:
        # Everything the user's agencies hold, from the counters; a keeper's storerooms also keep dossiers for
        # other holders: those few are counted.
        total = _held_counters[0](found.agencies)
        if found.keeper is not None:
            scope, params = prepared.in_list("d.holding_agency_id", found.agencies)
            kept = f"SELECT count(*) FROM {Dossier._meta.db_table} d WHERE d.custodian_id = %s AND NOT ({scope})"  # noqa: S608
            total += int(prepared.fetch(kept, [found.keeper, *params])[0][0])
        return total
    return int(prepared.fetch(f"SELECT count(*) {_FROM} WHERE {found.where}", found.params)[0][0])


class LookupResults:
    """The lookup as a sequence Django's Paginator can page: a count, then one prepared query per page."""

    def __init__(self, user: Any, query: str) -> None:
        self.user, self.query = user, query
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            found = _where(self.user, self.query)
            self._count = 0 if found is None else _count(found)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[DossierHit]:
        start, stop = window.start or 0, window.stop
        if stop is None or window.step is not None:
            raise TypeError("LookupResults pages by [start:stop] only")
        return dossier_lookup(self.user, self.query, limit=max(0, stop - start), offset=start).hits
