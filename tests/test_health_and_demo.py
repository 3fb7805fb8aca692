import pytest
from django.contrib.auth import authenticate

from dangan.agencies.models import Role, Staff
from dangan.audit.services import verify
from dangan.core.validators import validate_credit_code, validate_resident_id
from dangan.demo.loader import DEMO_PASSWORD, demo_accounts, load_demo
from dangan.demo.synthetic import Synth
from dangan.dossiers.models import Dossier


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_demo_data_has_one_account_per_role_for_city_and_district():
    load_demo(size=40)
    for prefix, code in (("city", "370600"), ("zhifu", "370602")):
        roles = set(
            Staff.objects.filter(agency__code=code, user__username__startswith=prefix).values_list(
                "roles__role", flat=True
            )
        )
        assert roles == set(Role.values)
    account = demo_accounts()[0]
    assert authenticate(username=account.username, password=DEMO_PASSWORD) is not None
    assert Dossier.objects.count() == 43  # 40 loaded in bulk, 3 received at the counter
    assert verify().ok
    load_demo(size=40)  # idempotent: a second run adds nothing twice
    assert Dossier.objects.count() == 43  # 40 loaded in bulk, 3 received at the counter


def test_synthetic_people_are_valid_and_deterministic():
    assert Synth(3).person() == Synth(3).person()
    synth = Synth(11)
    for _ in range(300):
        person = synth.person()
        assert validate_resident_id(person.id_number) == person.id_number
        assert person.id_number[:6] == person.household_region
        assert person.id_number[6:14] == person.birth_date.strftime("%Y%m%d")
        assert (int(person.id_number[16]) % 2 == 1) == (person.sex == "1")
    for _ in range(100):
        employer = synth.employer()
        assert validate_credit_code(employer.credit_code) == employer.credit_code
