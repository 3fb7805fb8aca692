"""Issue 6 journey at phone size: sign up, apply online for a custody certificate, the officer issues it the
same day, download the PDF, verify it by its QR link, rate the service; a poor rating opens a case."""

import pytest

from dangan.agencies.models import Role
from dangan.certificates.models import Certificate
from dangan.ratings.models import RectificationCase
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.mark.rule("R31")  # issued within the request's working day, also after the cut-off
def test_person_gets_a_custody_certificate_online_and_rates_it(
    live_server, browser, make_staff, make_dossier, tmp_path, settings
):
    settings.DANGAN_PUBLIC_URL = live_server.url
    make_staff("370602", Role.ONLINE_OFFICER, username="officer")
    dossier = make_dossier("370602", phone="13805350000", native_place="山东烟台")
    person = dossier.person

    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, accept_downloads=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/portal/signup/")
    phone.get_by_label("姓名（单位注册填单位名称）").fill(person.name)
    phone.get_by_label("身份证号码（个人）").fill(person.id_number)
    phone.get_by_label("手机号码").fill(person.phone)
    phone.get_by_label("设置密码").fill("Portal-pass-2026")
    phone.get_by_role("button", name="注册").click()
    phone.wait_for_url("**/portal/")
    assert "烟台市芝罘区公共就业和人才服务中心" in phone.get_by_test_id("my-dossier").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.get_by_role("link", name="在线办理").click()
    phone.locator("section", has_text="出具档案证明").get_by_role("link").click()
    assert "本人有效身份证件" in phone.get_by_test_id("checklist").inner_text()
    phone.get_by_label("证明类型").select_option("custody")
    id_card = tmp_path / "id.pdf"
    id_card.write_bytes(b"%PDF-1.4\n% id card scan\n")
    phone.locator("#f-id_card").set_input_files(str(id_card))
    phone.get_by_label("用途说明").fill("办理落户")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url("**/portal/requests/*/")
    request_url = phone.url

    office = browser.new_context(locale="zh-CN").new_page()
    office.goto(live_server.url + "/accounts/login/")
    office.get_by_label("用户名").fill("officer")
    office.get_by_label("密码").fill(PASSWORD)
    office.get_by_role("button", name="登录").click()
    office.wait_for_url("**/console/")
    request_id = request_url.rstrip("/").rsplit("/", 1)[1]
    office.goto(live_server.url + f"/console/certificates/requests/{request_id}/")
    office.get_by_role("button", name="依据档案记载出具证明").click()
    office.wait_for_url("**/console/certificates/*/")
    certificate = Certificate.objects.get()
    # R31: issued within the request's working day. Submitted after the 17:00 cut-off (a run in the evening,
    # Beijing time) the request counts from the next working day, and the officer issuing at once is early.
    assert certificate.issued_on <= certificate.request.work_date == certificate.request.due
    assert certificate.request.completed_at is not None, certificate.request.status
    assert certificate.request.channel == "online"

    phone.goto(request_url)
    with phone.expect_download() as download:
        phone.get_by_test_id("certificates").get_by_role("link", name="下载PDF").click()
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    phone.get_by_test_id("verify-link").click()
    assert phone.get_by_test_id("verdict").inner_text() == "该证明真实有效。"
    assert person.name not in phone.content()  # only the masked name

    phone.goto(request_url)
    phone.get_by_label("非常不满意").check()
    phone.get_by_label("意见建议").fill("等候时间太长")
    phone.get_by_role("button", name="提交评价").click()
    assert "您已评价：非常不满意" in phone.get_by_test_id("rating").inner_text()
    assert RectificationCase.objects.filter(rating__request_id=int(request_id)).count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
