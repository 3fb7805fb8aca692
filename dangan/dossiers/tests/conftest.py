import datetime

import pytest

from dangan.dossiers.services import IntakeInput, MissingMaterial


@pytest.fixture
def intake_input(synth):
    """A realistic counter intake: a graduate's dossier sent by the university by confidential courier."""

    def build(**overrides):
        p = synth.person(min_age=22, max_age=30)
        values = {
            "person": {
                "id_number": p.id_number, "name": p.name, "ethnic_group": "01", "native_place": "山东烟台",
                "household_region": p.household_region, "political_status": "13", "person_category": "3",
                "phone": p.phone, "work_started_on": None,
            },
            "source_kind": "school",
            "source_name": "鲁东大学",
            "delivery": "confidential_courier",
            "received_on": datetime.date(2026, 7, 10),
            "entrustment_type": "personal",
            "education": {"education": "21", "degree": "4", "school": "鲁东大学", "major": "汉语言文学",
                          "graduated_on": datetime.date(2026, 6, 30)},
        }  # fmt: skip
        values.update(overrides)
        values["person"] = {k: v for k, v in values["person"].items() if v is not None}
        return IntakeInput(**values)

    return build


@pytest.fixture
def two_missing():
    return {
        "missing": [
            MissingMaterial("4-1", "本科毕业生登记表", "可能影响学历认定"),
            MissingMaterial("6", "入团志愿书", "可能影响团员身份认定"),
        ],
        "party_name": "本人",
        "acknowledged": True,
        "commitment_deadline": datetime.date(2026, 9, 30),
    }
