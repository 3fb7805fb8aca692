"""At phone size: a person applies online to transfer the dossier out, naming where it goes and why; the holder's
approver sees the transfer in the console and approves it; the person follows the steps on the portal (R30)."""

import pytest

from dangan.agencies.models import Role
from dangan.transfers.models import Transfer
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.mark.rule("R30")
def test_person_applies_online_to_transfer_the_dossier_and_the_holder_approves(
    live_server, browser, make_staff, make_dossier, tmp_path
):
    make_staff("370602", Role.ONLINE_OFFICER, username="officer")
    make_staff("370602", Role.APPROVER, username="approver")
    dossier = make_dossier("370602", phone="13805350001")
    person = dossier.person

    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True).new_page()
    phone.goto(live_server.url + "/portal/signup/")
    phone.get_by_label("姓名（单位注册填单位名称）").fill(person.name)
    phone.get_by_label("身份证号码（个人）").fill(person.id_number)
    phone.get_by_label("手机号码").fill(person.phone)
    phone.get_by_label("设置密码").fill("Portal-pass-2026")
    phone.get_by_role("button", name="注册").click()
    phone.wait_for_url("**/portal/")

    phone.get_by_role("link", name="在线办理").click()
    phone.locator("section", has_text="档案转出").get_by_role("link").click()
    assert "转往何处" in phone.get_by_test_id("transfer-destination").inner_text()
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan\n")
    phone.locator("#f-id_card").set_input_files(str(scan))
    phone.locator("#f-request_letter").set_input_files(str(scan))
    phone.get_by_role("button", name="提交申请").click()  # no destination, no reason: told field by field
    assert "请选择接收机构或填写平台外接收单位" in phone.get_by_test_id("transfer-destination").inner_text()
    assert "此项为必填项" in phone.get_by_test_id("transfer-destination").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.locator("#f-id_card").set_input_files(str(scan))
    phone.locator("#f-request_letter").set_input_files(str(scan))
    phone.get_by_label("接收机构（本省平台内）").select_option("370683")
    phone.get_by_label("转档原因").fill("到莱州市就业")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url("**/portal/requests/*/")
    transfer = Transfer.objects.get(dossier=dossier)
    assert transfer.to_agency.code == "370683"

    office = browser.new_context(locale="zh-CN").new_page()
    office.goto(live_server.url + "/accounts/login/")
    office.get_by_label("用户名").fill("approver")
    office.get_by_label("密码").fill(PASSWORD)
    office.get_by_role("button", name="登录").click()
    office.wait_for_url("**/console/")
    office.goto(live_server.url + f"/console/transfers/{transfer.pk}/")
    office.get_by_role("button", name="审核通过").click()
    office.wait_for_load_state()
    transfer.request.refresh_from_db()
    assert transfer.request.status == "approved"

    phone.reload()
    assert "审核通过" in phone.content()
