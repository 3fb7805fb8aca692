"""Keys seen in a file (ID numbers, dossier numbers, places), packed for the duplicate checks.

A dict of strings costs some 90 bytes a key; a ledger of 100,000 rows and three kinds of key would keep
25 MB for that alone. Here the keys' UTF-8 text sits in one bytearray, hashes and rows in arrays: about
16 bytes and the key's length each. Duplicates are found by one sort at the end of the pass; equal hashes
are confirmed on the text, so the answer is exact.
"""

from __future__ import annotations

import bisect
from array import array


class KeyLog:
    def __init__(self) -> None:
        self._text = bytearray()
        self._ends = array("I")  # 4 bytes: offsets and rows stay far below 2³²
        self._hashes = array("q")
        self._rows = array("I")
        self._sorted: array[int] | None = None  # hashes in order, for lookups
        self._order: array[int] | None = None  # their positions

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, key: str, row: int) -> None:
        self._text += key.encode()
        self._ends.append(len(self._text))
        self._hashes.append(hash(key))
        self._rows.append(row)
        self._sorted = self._order = None

    def _key(self, position: int) -> str:
        start = self._ends[position - 1] if position else 0
        return self._text[start : self._ends[position]].decode()

    def _by_hash(self) -> list[int]:
        """Positions in hash order; within one hash, in the order the keys were added (the sort is stable)."""
        return sorted(range(len(self._rows)), key=self._hashes.__getitem__)

    def duplicates(self) -> list[tuple[int, int, str]]:
        """(row, the row it repeats, key) for every key seen before, in row order."""
        found: list[tuple[int, int, str]] = []
        order = self._by_hash()
        hashes, rows = self._hashes, self._rows
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and hashes[order[end]] == hashes[order[start]]:
                end += 1
            if end - start > 1:
                first: dict[str, int] = {}
                for position in order[start:end]:
                    key = self._key(position)
                    seen = first.setdefault(key, rows[position])
                    if seen != rows[position]:
                        found.append((rows[position], seen, key))
            start = end
        found.sort()
        return found

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if self._sorted is None or self._order is None:
            order = self._by_hash()
            self._order = array("I", order)
            self._sorted = array("q", (self._hashes[p] for p in order))
        assert self._sorted is not None
        assert self._order is not None
        value = hash(key)
        index = bisect.bisect_left(self._sorted, value)
        while index < len(self._sorted) and self._sorted[index] == value:
            if self._key(self._order[index]) == key:
                return True
            index += 1
        return False
