import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from dangan.agencies.models import Role, Staff
from dangan.agreements.fields import check_size_for_nature
from dangan.agreements.models import Employer, RosterEntry
from dangan.analytics import figures
from dangan.analytics.scope import scope_for
from dangan.audit.services import verify
from dangan.core.codetables import table
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
    # employers of 芝罘区 and of the city center, each with its industry and size, agreements and rosters
    employers = list(Employer.objects.all())
    assert len(employers) == 10
    assert all(e.industry in table("industry_section") and e.size in table("enterprise_size") for e in employers)
    assert {e.agency.code for e in employers} == {"370600", "370602"}
    assert RosterEntry.objects.filter(status="active").exists()
    city = figures.by_employer(
        scope_for(Staff.objects.get(user__username="city_supervisor").user), timezone.localdate()
    )
    assert city.rows
    assert verify().ok
    load_demo(size=40)  # idempotent: a second run adds nothing twice
    assert Dossier.objects.count() == 43  # 40 loaded in bulk, 3 received at the counter
    assert Employer.objects.count() == 10


def test_synthetic_people_are_valid_and_deterministic():
    assert Synth(3).person() == Synth(3).person()
    synth = Synth(11)
    for _ in range(300):
        person = synth.person()
        assert validate_resident_id(person.id_number) == person.id_number
        assert person.id_number[:6] == person.household_region
        assert person.id_number[6:14] == person.birth_date.strftime("%Y%m%d")
        assert (int(person.id_number[16]) % 2 == 1) == (person.sex == "1")
    assert Synth(3).employer() == Synth(3).employer()
    natures = set()
    for _ in range(100):
        employer = synth.employer()
        assert validate_credit_code(employer.credit_code) == employer.credit_code
        assert employer.industry in table("industry_section")
        assert employer.size in table("enterprise_size")
        assert check_size_for_nature(employer.nature, employer.size) is None
        natures.add(employer.nature)
    assert natures == {"1", "2"}  # companies and a few associations (社团法人, size 不适用)
