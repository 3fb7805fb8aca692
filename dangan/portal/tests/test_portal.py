"""The portal: sign-up with identity check, own records only, online application with checklist and uploads."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.casework.models import ServiceRequest
from dangan.core.errors import ValidationFailed
from dangan.dossiers.models import PartyMembership
from dangan.portal.models import PortalAccount, Upload
from dangan.portal.services import account_sign_up
from dangan.reviews.models import PartyTransfer
from dangan.reviews.services import party_transfer_complete
from dangan.transfers.models import Transfer
from dangan.transfers.services import transfer_approve, transfer_dispatch, transfer_receive, transfer_register_slip

PDF = b"%PDF-1.4\n%test\n"
PASSWORD = "Portal-pass-2026"


@pytest.fixture
def person_dossier(make_dossier, make_staff):
    make_staff("370602", Role.ONLINE_OFFICER)
    return make_dossier("370602", phone="13805351234")


def _sign_up(dossier):
    p = dossier.person
    return account_sign_up(kind="person", phone=p.phone, password=PASSWORD, name=p.name, id_number=p.id_number)


def test_sign_up_checks_identity_against_the_record(person_dossier):
    p = person_dossier.person
    with pytest.raises(ValidationFailed) as caught:
        account_sign_up(kind="person", phone="13905351234", password=PASSWORD, name=p.name, id_number=p.id_number)
    assert "与档案记载不一致" in str(caught.value)
    with pytest.raises(ValidationFailed):
        account_sign_up(kind="person", phone=p.phone, password=PASSWORD, name=p.name, id_number=p.id_number[:-1] + "0")
    account = _sign_up(person_dossier)
    assert account.verified_by == "record_match"
    with pytest.raises(ValidationFailed, match="已注册"):
        _sign_up(person_dossier)


def test_identity_verifier_is_pluggable(person_dossier, settings):
    settings.DANGAN_IDENTITY_VERIFIER = "dangan.portal.tests.fake_sso.AlwaysNo"
    with pytest.raises(ValidationFailed, match="统一身份认证"):
        _sign_up(person_dossier)


@pytest.mark.rule("R43")
def test_a_person_sees_only_their_own_records(client, person_dossier, make_dossier):
    other = make_dossier("370602", phone="13905359999")
    _sign_up(person_dossier)
    client.post(reverse("portal:login"), {"phone": person_dossier.person.phone, "password": PASSWORD})
    home = client.get(reverse("portal:home")).content.decode()
    assert "烟台市芝罘区公共就业和人才服务中心" in home
    assert other.person.name not in home
    assert AuditEvent.objects.filter(action="portal.dossier_viewed", dossier_id=person_dossier.pk).exists()
    # The staff console and API stay closed to portal accounts.
    assert client.get(reverse("dossiers:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("dossiers:detail", args=[person_dossier.pk])).status_code == 404
    assert client.get("/api/v1/dossiers/").json()["count"] == 0


@pytest.mark.rule("R30")
@pytest.mark.rule("R31")
def test_online_application_with_checklist_uploads_and_a_named_officer(client, person_dossier):
    _sign_up(person_dossier)
    client.post(reverse("portal:login"), {"phone": person_dossier.person.phone, "password": PASSWORD})
    page = client.get(reverse("portal:apply", args=["transfer_out"])).content.decode()
    assert "一次性告知" in page
    assert "调档函" in page
    incomplete = client.post(reverse("portal:apply", args=["transfer_out"]), {"id_card": _file("id.pdf", PDF)})
    assert "缺少以下材料" in incomplete.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Upload.objects.exists()  # nothing half-done
    bad = client.post(
        reverse("portal:apply", args=["transfer_out"]),
        {"id_card": _file("id.exe", b"MZ\x90\x00"), "request_letter": _file("letter.pdf", PDF)},
    )
    assert "只能上传PDF、JPG或PNG文件" in bad.content.decode()
    nowhere = client.post(
        reverse("portal:apply", args=["transfer_out"]),
        {"id_card": _file("id.pdf", PDF), "request_letter": _file("letter.pdf", PDF), "reason": ""},
    )
    assert "请选择接收机构或填写平台外接收单位" in nowhere.content.decode()
    assert "此项为必填项" in nowhere.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Upload.objects.exists()
    ok = client.post(
        reverse("portal:apply", args=["transfer_out"]),
        {"id_card": _file("id.pdf", PDF), "request_letter": _file("letter.pdf", PDF), "to_agency": "370683",
         "reason": "到莱州市就业"},
    )  # fmt: skip
    assert ok.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.channel == "online"
    assert request.assigned_to is not None
    assert request.uploads.count() == 2
    assert not any(u.stored_as.startswith("/") for u in request.uploads.all())
    detail = client.get(ok["Location"]).content.decode()
    assert "网上提交" in detail


@pytest.mark.rule("R30")
@pytest.mark.rule("R33")
def test_an_online_transfer_out_is_approved_dispatched_and_received_like_one_made_at_the_counter(
    client, person_dossier, make_staff
):
    _sign_up(person_dossier)
    client.post(reverse("portal:login"), {"phone": person_dossier.person.phone, "password": PASSWORD})
    sent = client.post(
        reverse("portal:apply", args=["transfer_out"]),
        {"id_card": _file("id.pdf", PDF), "request_letter": _file("letter.pdf", PDF), "to_agency": "370683",
         "reason": "到莱州市就业"},
    )  # fmt: skip
    assert sent.status_code == 302
    transfer = Transfer.objects.select_related("request").get(dossier=person_dossier)
    assert transfer.request.channel == "online"
    assert transfer.requester_kind == "person"
    assert transfer.to_agency.code == "370683"
    assert AuditEvent.objects.filter(action="transfer.applied", dossier_id=person_dossier.pk).exists()
    approver = make_staff("370602", Role.APPROVER)
    keeper = make_staff("370602", Role.ARCHIVE_KEEPER)
    receiver = make_staff("370683", Role.ARCHIVE_KEEPER)
    today = timezone.localdate()
    transfer_approve(actor=approver, transfer_id=transfer.pk)
    transfer_dispatch(actor=keeper, transfer_id=transfer.pk, way="confidential_courier", tracking_no="JY1",
                      dispatched_on=today, items=12)  # fmt: skip
    transfer_receive(actor=receiver, transfer_id=transfer.pk, arrived_by="confidential_courier", seal_intact=True,
                     catalogue_matches=True)  # fmt: skip
    transfer.request.refresh_from_db()
    person_dossier.refresh_from_db()
    assert transfer.request.status == "received"
    assert person_dossier.holding_agency.code == "370683"


@pytest.mark.rule("R43")
def test_one_person_cannot_open_another_persons_request(client, person_dossier, make_dossier):
    _sign_up(person_dossier)
    other = make_dossier("370602", phone="13905359998")
    account_sign_up(
        kind="person",
        phone=other.person.phone,
        password=PASSWORD,
        name=other.person.name,
        id_number=other.person.id_number,
    )
    client.post(reverse("portal:login"), {"phone": person_dossier.person.phone, "password": PASSWORD})
    client.post(
        reverse("portal:apply", args=["transfer_out"]),
        {"id_card": _file("id.pdf", PDF), "request_letter": _file("l.pdf", PDF), "to_name": "北京市人才服务中心",
         "reason": "工作调动"},
    )  # fmt: skip
    mine = ServiceRequest.objects.get()
    client.post(reverse("portal:logout"))
    client.post(reverse("portal:login"), {"phone": other.person.phone, "password": PASSWORD})
    assert client.get(reverse("portal:request", args=[mine.pk])).status_code == 404


def test_portal_pages_need_a_portal_account(client, make_staff):
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("portal:login"))
    client.force_login(make_staff("370602", Role.COUNTER_CLERK))
    assert client.get(reverse("portal:home")).status_code == 302
    assert PortalAccount.objects.count() == 0


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.rule("R30")
@pytest.mark.rule("R10")
def test_an_online_party_transfer_carries_its_letter_and_the_holder_completes_it(client, make_dossier, make_staff):
    clerk = make_staff("370602", Role.ONLINE_OFFICER)
    dossier = make_dossier("370602", phone="13805351236", political_status="01")
    PartyMembership.objects.create(person=dossier.person, organisation="party", joined_on=dt.date(2015, 7, 1),
                                   branch="烟台市芝罘区某公司党支部")  # fmt: skip
    _sign_up(dossier)
    client.post(reverse("portal:login"), {"phone": dossier.person.phone, "password": PASSWORD})
    page = client.get(reverse("portal:apply", args=["party_transfer"])).content.decode()
    assert "介绍信编号" in page
    files = {"party_letter": _file("letter.pdf", PDF), "id_card": _file("id.pdf", PDF)}
    today = timezone.localdate()
    undated = client.post(
        reverse("portal:apply", args=["party_transfer"]),
        {**files, "direction": "out", "letter_number": "", "issuing_organisation": "某公司党支部",
         "receiving_organisation": "莱州市某街道党工委", "issued_on": "2026-13-01", "valid_until": ""},
    )  # fmt: skip
    text = undated.content.decode()
    assert "请填写日期" in text
    assert "此项为必填项" in text
    assert not ServiceRequest.objects.exists()
    assert not Upload.objects.exists()
    sent = client.post(
        reverse("portal:apply", args=["party_transfer"]),
        {"party_letter": _file("letter.pdf", PDF), "id_card": _file("id.pdf", PDF), "direction": "out",
         "letter_number": "鲁组转字第0012号", "issuing_organisation": "烟台市芝罘区某公司党支部",
         "receiving_organisation": "莱州市某街道党工委", "issued_on": today.isoformat(),
         "valid_until": (today + dt.timedelta(days=30)).isoformat()},
    )  # fmt: skip
    assert sent.status_code == 302
    transfer = PartyTransfer.objects.select_related("request").get(dossier=dossier)
    assert transfer.request.channel == "online"
    assert transfer.letter_number == "鲁组转字第0012号"
    party_transfer_complete(actor=clerk, transfer_id=transfer.pk, reported_on=today, today=today)
    transfer.request.refresh_from_db()
    assert transfer.request.status == "completed"
    assert PartyMembership.objects.get(person=dossier.person).branch == "莱州市某街道党工委"


@pytest.mark.rule("R18")
@pytest.mark.rule("R30")
def test_a_retired_person_asks_online_for_the_hand_over_to_the_township_center(client, make_dossier, make_staff):
    make_staff("370602", Role.ONLINE_OFFICER)
    young = make_dossier("370602", phone="13805351237", id_number="370602199001010017", birth_date=dt.date(1990, 1, 1),
                         sex="1", household_region="370602")  # fmt: skip
    _sign_up(young)
    client.post(reverse("portal:login"), {"phone": young.person.phone, "password": PASSWORD})
    assert (
        "户籍所在地乡镇（街道）人社服务机构" in client.get(reverse("portal:apply", args=["hand_over"])).content.decode()
    )
    early = client.post(
        reverse("portal:apply", args=["hand_over"]),
        {"basis": _file("approval.pdf", PDF), "to_agency": "370602001", "early_retirement_approval": ""},
    )
    assert "尚未达到法定退休年龄" in early.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Upload.objects.exists()
    client.post(reverse("portal:logout"))

    retired = make_dossier("370602", phone="13805351238", id_number="370602195803150013",
                           birth_date=dt.date(1958, 3, 15), sex="1", household_region="370602")  # fmt: skip
    _sign_up(retired)
    client.post(reverse("portal:login"), {"phone": retired.person.phone, "password": PASSWORD})
    wrong = client.post(
        reverse("portal:apply", args=["hand_over"]), {"basis": _file("approval.pdf", PDF), "to_agency": "370683"}
    )
    assert "接收机构不是户籍所在地的乡镇（街道）服务机构" in wrong.content.decode()
    sent = client.post(
        reverse("portal:apply", args=["hand_over"]), {"basis": _file("approval.pdf", PDF), "to_agency": "370602001"}
    )
    assert sent.status_code == 302
    transfer = Transfer.objects.select_related("request").get(dossier=retired)
    assert (transfer.kind, transfer.requester_kind, transfer.request.channel) == ("retirement", "person", "online")
    approver = make_staff("370602", Role.APPROVER)
    keeper = make_staff("370602", Role.ARCHIVE_KEEPER)
    today = timezone.localdate()
    transfer_approve(actor=approver, transfer_id=transfer.pk)
    transfer_dispatch(actor=keeper, transfer_id=transfer.pk, way="staff_courier", tracking_no="ZR9",
                      dispatched_on=today, items=30)  # fmt: skip
    transfer_register_slip(actor=keeper, transfer_id=transfer.pk, returned_on=today, signed_by="向阳街道")
    retired.refresh_from_db()
    assert retired.status == "retired"


@pytest.mark.rule("R30")
def test_a_refused_application_leaves_no_file_behind(client, person_dossier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _sign_up(person_dossier)
    client.post(reverse("portal:login"), {"phone": person_dossier.person.phone, "password": PASSWORD})
    refused = client.post(
        reverse("portal:apply", args=["transfer_out"]),
        {"id_card": _file("id.pdf", PDF), "request_letter": _file("letter.exe", b"MZ\x90\x00"), "to_name": "北京",
         "reason": "工作调动"},
    )  # fmt: skip
    assert "只能上传PDF、JPG或PNG文件" in refused.content.decode()
    assert not Upload.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
