"""R3, R4: the household registration and pre-enrolment household registration that decide where an
individual dossier is kept come from the person's record, never from what the caller types."""

import pytest
from django.urls import reverse

from dangan.agreements import services
from dangan.agreements.jurisdiction import Places
from dangan.agreements.models import PersonalAgreement
from dangan.agreements.selectors import personal_form_prefill
from dangan.audit.models import AuditEvent
from dangan.core.errors import ValidationFailed
from dangan.dossiers.services import person_update

from .conftest import PERSONAL_SERVICES, TODAY

API = "/api/v1"


def _sign(actor, dossier, places, situation="flexible"):
    return services.personal_agreement_sign(
        actor=actor, dossier_id=dossier.pk, start_date=TODAY, services=PERSONAL_SERVICES, situation=situation,
        places=places,
    )  # fmt: skip


@pytest.mark.rule("R3")
def test_r3_a_household_region_other_than_the_record_is_refused_with_the_way_to_correct_it(clerk, make_dossier):
    dossier = make_dossier("370602", household_region="370683")  # 莱州市
    with pytest.raises(ValidationFailed) as refused:
        _sign(clerk, dossier, Places(household_region="370602"))
    message = refused.value.fields["household_region"][0]
    assert "370683" in message
    assert "人员基础信息中更正" in message
    assert not PersonalAgreement.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.rule("R3")
def test_r3_left_blank_the_recorded_household_region_decides(clerk, make_dossier):
    recorded_elsewhere = make_dossier("370602", household_region="370683")
    with pytest.raises(ValidationFailed) as refused:
        _sign(clerk, recorded_elsewhere, Places())
    assert "莱州市公共就业和人才服务中心" in refused.value.message  # judged on 370683, the record
    recorded_here = make_dossier("370602", household_region="370602")
    agreement = _sign(clerk, recorded_here, Places())
    assert agreement.places == {"household_region": "370602"}
    # repeating the recorded value is fine too
    assert _sign(clerk, make_dossier("370602", household_region="370602"), Places(household_region="370602"))


@pytest.mark.rule("R3")
def test_r3_after_the_record_is_corrected_through_the_dossiers_app_the_agreement_is_signed(clerk, make_dossier):
    dossier = make_dossier("370602", household_region="370683")
    person_update(actor=clerk, dossier_id=dossier.pk, changes={"household_region": "370602"}, reason="户口迁入芝罘区")
    assert AuditEvent.objects.filter(action="person.updated", dossier_id=dossier.pk).exists()
    dossier.refresh_from_db()
    agreement = _sign(clerk, dossier, Places(household_region="370602"))
    assert agreement.places["household_region"] == "370602"


@pytest.mark.rule("R4")
def test_r4_the_pre_enrolment_region_comes_from_the_record(clerk, make_dossier):
    unrecorded = make_dossier("370602", household_region="370683")
    with pytest.raises(ValidationFailed) as refused:
        _sign(clerk, unrecorded, Places(pre_enrolment_region="370602"), situation="graduate_self_employed")
    assert "档案未记录入学前户籍所在地" in refused.value.fields["pre_enrolment_region"][0]
    recorded = make_dossier("370602", household_region="370683", pre_enrolment_region="370602")
    with pytest.raises(ValidationFailed) as refused:
        _sign(clerk, recorded, Places(pre_enrolment_region="370611"), situation="graduate_self_employed")
    assert set(refused.value.fields) == {"pre_enrolment_region"}
    agreement = _sign(clerk, recorded, Places(), situation="graduate_self_employed")
    assert agreement.places == {"household_region": "370683", "pre_enrolment_region": "370602"}


@pytest.mark.rule("R3")
def test_r3_api_refuses_a_household_region_other_than_the_record(api_client, world, make_dossier):
    """The case reported: a person recorded in 370683 got an agreement at 370602 by sending 370602."""
    dossier = make_dossier("370602", household_region="370683")
    api_client.force_authenticate(world.users["clerk"])
    body = {
        "dossier_id": dossier.pk, "situation": "flexible", "start_date": world.today.isoformat(),
        "services": ["receive_transfer"],
    }  # fmt: skip
    sent = api_client.post(
        f"{API}/agreements/personal/", {**body, "places": {"household_region": "370602"}}, format="json"
    )
    assert sent.status_code == 400
    assert "370683" in sent.json()["fields"]["household_region"][0]
    blank = api_client.post(f"{API}/agreements/personal/", body, format="json")
    assert blank.status_code == 400
    assert "莱州市公共就业和人才服务中心" in blank.json()["message"]
    assert not PersonalAgreement.objects.filter(dossier=dossier).exists()


@pytest.mark.rule("R3")
def test_r3_the_sign_page_shows_the_recorded_regions_and_ignores_a_posted_one(client, world, make_dossier):
    dossier = make_dossier("370602", household_region="370683")
    client.force_login(world.users["clerk"])
    url = f"{reverse('agreements:personal_sign')}?dossier={dossier.pk}"
    page = client.get(url).content.decode()
    assert "取自档案记录的人员信息" in page
    response = client.post(
        url,
        {**personal_form_prefill(dossier), "situation": "flexible", "household_region": "370602",
         "start_date": world.today.isoformat(), "services": ["receive_transfer"]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "莱州市公共就业和人才服务中心" in response.content.decode()
    assert not PersonalAgreement.objects.filter(dossier=dossier).exists()
