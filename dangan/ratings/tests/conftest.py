import pytest

from dangan.agencies.models import Role
from dangan.casework.services import request_submit_online
from dangan.certificates.services import certificate_issue


@pytest.fixture
def staff(make_staff):
    return {
        "clerk": make_staff("370602", Role.COUNTER_CLERK),
        "officer": make_staff("370602", Role.ONLINE_OFFICER),
        "supervisor": make_staff("370602", Role.SUPERVISOR),
        "approver": make_staff("370602", Role.APPROVER),
        "city_supervisor": make_staff("370600", Role.SUPERVISOR),
        "laizhou_clerk": make_staff("370683", Role.COUNTER_CLERK),
        "laizhou_supervisor": make_staff("370683", Role.SUPERVISOR),
    }


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(username="13900000001", password="x")


@pytest.fixture
def online_matter(staff, make_dossier, citizen):
    """A matter applied for online by the citizen and completed by the holder's online officer."""

    def make(*, applicant=None, complete=True, agency_code="370602"):
        dossier = make_dossier(agency_code)
        request = request_submit_online(
            applicant=applicant or citizen, service_code="certificate", applicant_kind="person",
            applicant_name=dossier.person.name, applicant_id_number=dossier.person.id_number, applicant_phone="",
            documents=["id_card"], person_id_number=dossier.person.id_number, details={"certificate_type": "custody"},
        )  # fmt: skip
        if complete:
            certificate_issue(actor=staff["officer"], request_id=request.pk)
            request.refresh_from_db()
        return request

    return make
