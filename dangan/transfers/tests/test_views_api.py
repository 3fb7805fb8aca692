import datetime as dt

import pytest
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.transfers.models import Transfer
from dangan.transfers.services import letter_issue, transfer_apply


@pytest.fixture
def transfer(make_staff, make_dossier, agencies):
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    dossier = make_dossier("370602")
    return transfer_apply(
        actor=clerk, person_id_number=dossier.person.id_number, requester_kind="person", applicant_name=dossier.person.name,
        to_agency=agencies["370683"], reason="工作调动", documents=["id_card", "request_letter"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("no_role", 404), ("holder_clerk", 200), ("receiver_keeper", 200), ("other_agency", 404)],
)
def test_transfer_page_permission_matrix(client, make_staff, transfer, who, status):
    users = {
        "no_role": make_staff("370681"),
        "holder_clerk": make_staff("370602", Role.COUNTER_CLERK),
        "receiver_keeper": make_staff("370683", Role.ARCHIVE_KEEPER),
        "other_agency": make_staff("370681", Role.COUNTER_CLERK),
    }
    if who in users:
        client.force_login(users[who])
    assert client.get(reverse("transfers:detail", args=[transfer.pk])).status_code == status


def test_receiver_cannot_approve_and_nothing_changes(client, make_staff, transfer):
    client.force_login(make_staff("370683", Role.APPROVER))
    before = AuditEvent.objects.count()
    client.post(reverse("transfers:approve", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.request.status == "submitted"
    assert AuditEvent.objects.count() == before


def test_api_transfer_flow_with_errors_in_chinese(api_client, make_staff, transfer):
    approver = make_staff("370602", Role.APPROVER)
    keeper = make_staff("370602", Role.ARCHIVE_KEEPER)
    api_client.force_authenticate(approver)
    assert api_client.post(f"/api/v1/transfers/{transfer.pk}/approve/", {}, format="json").status_code == 200
    api_client.force_authenticate(keeper)
    refused = api_client.post(
        f"/api/v1/transfers/{transfer.pk}/dispatch/",
        {"way": "self_carry", "tracking_no": "X", "dispatched_on": dt.date.today().isoformat(), "items": 3},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "self_carry"
    sent = api_client.post(
        f"/api/v1/transfers/{transfer.pk}/dispatch/",
        {"way": "staff_courier", "tracking_no": "ZR01", "dispatched_on": dt.date.today().isoformat(), "items": 3},
        format="json",
    )
    assert sent.json()["status"] == "dispatched"
    papers = api_client.get(f"/api/v1/transfers/{transfer.pk}/papers/")
    assert papers["Content-Type"] == "application/pdf"
    receiver = make_staff("370683", Role.ARCHIVE_KEEPER)
    api_client.force_authenticate(receiver)
    received = api_client.post(
        f"/api/v1/transfers/{transfer.pk}/receive/",
        {"arrived_by": "staff_courier", "seal_intact": True, "catalogue_matches": True},
        format="json",
    )
    assert received.status_code == 200
    assert Transfer.objects.get(pk=transfer.pk).dossier.holding_agency.code == "370683"


def test_public_letter_verification_masks_the_person(client, make_staff, agencies):
    letter = letter_issue(actor=make_staff("370683", Role.COUNTER_CLERK), person_name="李晓明",
                          person_id_number="11010519491231002X", reason="录用", holder_agency=agencies["370602"])  # fmt: skip
    body = client.get(reverse("letter_verify", args=[letter.number])).content.decode()
    assert "真实有效" in body
    assert "李**" in body
    assert "11010519491231002X" not in body
    assert client.get(reverse("letter_verify", args=["DH000"])).status_code == 404


def test_retiring_page_lists_and_hands_over(client, make_staff, make_dossier):
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    client.force_login(clerk)
    response = client.get(reverse("transfers:retiring"))
    assert response.status_code == 200
    assert "一个月内达到法定退休年龄" in response.content.decode()
    dossier = make_dossier("370602", household_region="370602")
    bad = client.post(
        reverse("transfers:retiring"),
        {"person_id_number": dossier.person.id_number, "kind": "retirement", "basis": "退休审批"},
    )
    assert "户籍所在地乡镇" in bad.content.decode()
