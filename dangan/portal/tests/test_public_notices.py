"""R29: the agencies tell the parties of changes to their services by public notice; the portal shows the
published notices to everyone, without an account, and links them from the login page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangan.agencies.models import Role
from dangan.agreements.services import notice_publish
from dangan.portal.services import account_sign_up

PASSWORD = "Portal-pass-2026"
TITLE = "关于调整档案查阅服务时间的公告"
BODY = "自2026年8月1日起，档案查阅服务时间调整为每周一至周五。\n节假日另行通知。"


@pytest.fixture
def notice(make_staff):
    return notice_publish(
        actor=make_staff("370602", Role.APPROVER), title=TITLE, body=BODY, effective_on=dt.date(2026, 8, 1)
    )


@pytest.mark.rule("R29")
def test_r29_anyone_reads_the_published_notices_without_signing_in(client, notice):
    response = client.get(reverse("portal:notices"))
    assert response.status_code == 200
    page = response.content.decode()
    assert TITLE in page
    assert "烟台市芝罘区公共就业和人才服务中心" in page  # the agency
    assert timezone.localtime(notice.published_at).strftime("%Y-%m-%d") in page
    assert "2026-08-01" in page  # the day it takes effect
    assert "档案查阅服务时间调整为每周一至周五。<br>节假日另行通知。" in page
    assert "<script" not in client.get(reverse("portal:notices"), {"page": "<script>"}).content.decode()


@pytest.mark.rule("R29")
def test_r29_the_login_page_links_the_notices_and_still_signs_in(client, notice, make_dossier, make_staff):
    page = client.get(reverse("portal:login")).content.decode()
    assert f'href="{reverse("portal:notices")}"' in page
    assert TITLE in page
    make_staff("370602", Role.ONLINE_OFFICER)
    person = make_dossier("370602", phone="13805351234").person
    account_sign_up(kind="person", phone=person.phone, password=PASSWORD, name=person.name, id_number=person.id_number)
    wrong = client.post(reverse("portal:login"), {"phone": person.phone, "password": "wrong-password"})
    assert wrong.status_code == 200
    signed_in = client.post(
        reverse("portal:login") + "?next=/portal/services/", {"phone": person.phone, "password": PASSWORD}
    )
    assert signed_in["Location"] == "/portal/services/"


@pytest.mark.rule("R29")
def test_r29_without_notices_the_page_says_so(client, db):
    assert "暂无公告" in client.get(reverse("portal:notices")).content.decode()


@pytest.mark.rule("R29")
def test_r29_the_api_lists_notices_for_a_signed_in_party_not_for_anonymous_callers(
    client, notice, make_dossier, make_staff
):
    """The R29 row names `GET /api/v1/notices/` for staff and parties (signed-in accounts); the public page
    above is what anyone reads without an account."""
    assert client.get("/api/v1/notices/").status_code == 401
    make_staff("370602", Role.ONLINE_OFFICER)
    person = make_dossier("370602", phone="13805351234").person
    account_sign_up(kind="person", phone=person.phone, password=PASSWORD, name=person.name, id_number=person.id_number)
    client.post(reverse("portal:login"), {"phone": person.phone, "password": PASSWORD})
    assert client.get("/api/v1/notices/").json()["results"][0]["title"] == TITLE
