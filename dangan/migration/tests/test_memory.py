"""Memory stays flat: ten times the rows, far less than ten times the peak (the file is streamed, never held)."""

import csv
import gc
import tracemalloc

import pytest

from dangan.demo.synthetic import Synth
from dangan.migration.tests.ledgers import ROOM, TODAY, place_of

# The columns whose keys the first pass remembers (ID number, dossier number, place) and the required ones;
# a ledger of this width keeps the test quick under tracemalloc, and rows, not columns, are what may not grow.
# Ten times the rows; sizes kept small enough for the test to take seconds under tracemalloc (which slows
# every allocation several times); the design figures for 2,000 and 20,000 rows are in the app's docs.
SMALL, LARGE = 1_000, 10_000
HEADER = ["姓名", "证件号码", "存档类型", "档案编号", "档案接收日期", "档案来源", "库房", "档案柜", "层", "格"]


def _write(path, people, start):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index, person in enumerate(people, start=start):
            cabinet, tier, position = place_of(index)
            writer.writerow([person.name, person.id_number, "个人委托存档", f"M{index:07d}", "2015-03-01",
                             "原行业中心", ROOM, cabinet, tier, position])  # fmt: skip
    return path


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memory")
    synth = Synth(seed=99)
    people = [synth.person(today=TODAY) for _ in range(SMALL + LARGE)]
    return _write(folder / "small.csv", people[:SMALL], 0), _write(folder / "large.csv", people[SMALL:], SMALL)


def _peak(run):
    gc.collect()
    tracemalloc.start()
    try:
        job = run()
        return job, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.rule("R36")
def test_peak_memory_grows_far_less_than_the_rows(ledgers, rooms, run_ledger):
    small, large = ledgers
    job, small_peak = _peak(lambda: run_ledger(small))
    assert job.imported_count == SMALL
    assert job.error_count == 0
    job, large_peak = _peak(lambda: run_ledger(large))
    assert job.imported_count == LARGE
    assert job.locations_count == LARGE
    print(f"peak {small_peak / 2**20:.1f} MiB for {SMALL:,} rows, {large_peak / 2**20:.1f} MiB for {LARGE:,}")
    assert large_peak < 3 * small_peak
