import datetime as d

import pytest

from dangan.transfers.retirement import retirement_date
from dangan.transfers.selectors import nearing_retirement


@pytest.mark.parametrize(
    ("birth", "sex", "track", "expected"),
    [
        (d.date(1964, 12, 15), "1", "", d.date(2024, 12, 15)),  # before the reform: 60
        (d.date(1965, 1, 10), "1", "", d.date(2025, 2, 10)),  # 60 years 1 month
        (d.date(1965, 5, 10), "1", "", d.date(2025, 7, 10)),  # 60 years 2 months
        (d.date(1976, 12, 1), "1", "", d.date(2039, 12, 1)),  # capped at 63
        (d.date(1970, 1, 20), "2", "", d.date(2025, 2, 20)),  # women cadres: 55 years 1 month
        (d.date(1975, 3, 5), "2", "female_50", d.date(2025, 5, 5)),  # women workers: 50 years 2 months
        (d.date(1990, 1, 31), "2", "female_50", d.date(2045, 1, 31)),  # capped at 55
    ],
)
def test_statutory_retirement_date(birth, sex, track, expected):
    assert retirement_date(birth, sex, track) == expected


@pytest.mark.rule("R18")
def test_persons_nearing_retirement_are_listed_a_month_ahead(make_dossier, agencies):
    soon = make_dossier("370602", sex="1", birth_date=d.date(1965, 1, 10), id_number="370602196501101234")
    make_dossier("370602", sex="1", birth_date=d.date(1970, 1, 10), id_number="370602197001101236")
    listed = nearing_retirement(agencies["370602"], today=d.date(2025, 1, 15))
    assert [(row.dossier.pk, row.retires_on) for row in listed] == [(soon.pk, d.date(2025, 2, 10))]
    assert nearing_retirement(agencies["370602"], today=d.date(2024, 12, 1)) == []


@pytest.mark.rule("R18")
def test_the_retirement_list_on_a_day_whose_horizon_is_29_february(make_dossier, agencies):
    # 29 January 2028 + 31 days = 29 February 2028; 64 and 50 years earlier, 1964 is a leap year and 1978 is not.
    due = make_dossier(
        "370602", id_number="370602196706100019", birth_date=d.date(1967, 6, 10), sex="1"
    )  # retires 2028-02-10
    later = make_dossier("370602", id_number="370602196803150011", birth_date=d.date(1968, 3, 15), sex="1")
    rows = nearing_retirement(agencies["370602"], today=d.date(2028, 1, 29))
    listed = {row.dossier.pk: row.retires_on for row in rows}
    assert listed.get(due.pk) == d.date(2028, 2, 10)
    assert later.pk not in listed
