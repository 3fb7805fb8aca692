"""Fixtures of the lending tests: staff of each role, a dossier with a catalogue, rooms, ready-made requests."""

import pytest

from dangan.agencies.models import Role
from dangan.lending.services import consultation_apply, loan_apply
from dangan.lending.tests.helpers import add_materials, consultation_values, loan_values
from dangan.storage.models import Room


@pytest.fixture
def staff(make_staff):
    return {
        "clerk": make_staff("370602", Role.COUNTER_CLERK),
        "approver": make_staff("370602", Role.APPROVER),
        "approver2": make_staff("370602", Role.APPROVER),
        "keeper": make_staff("370602", Role.ARCHIVE_KEEPER),
        "keeper2": make_staff("370602", Role.ARCHIVE_KEEPER),
        "other_clerk": make_staff("370683", Role.COUNTER_CLERK),
        "other_approver": make_staff("370683", Role.APPROVER),
    }


@pytest.fixture
def people(synth):
    """Four valid resident ID numbers that belong to nobody on the platform yet."""
    return [synth.person() for _ in range(4)]


@pytest.fixture
def org_code(synth):
    return synth.credit_code("370602")


@pytest.fixture
def dossier(make_dossier, staff):
    made = make_dossier("370602")
    add_materials(made, staff["keeper"])
    return made


@pytest.fixture
def rooms(agencies):
    agency = agencies["370602"]
    return {
        "reading": Room.objects.create(agency=agency, name="阅档室", kind="reading_room"),
        "store": Room.objects.create(agency=agency, name="一号库房", kind="storeroom"),
        "office": Room.objects.create(agency=agency, name="办公室", kind="office"),
    }


@pytest.fixture
def consultation(staff, dossier, people, org_code):
    return consultation_apply(actor=staff["clerk"], **consultation_values(dossier, people, org_code))


@pytest.fixture
def loan(staff, dossier, people, org_code):
    return loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code))
