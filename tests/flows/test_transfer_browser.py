"""Issue 5 journey in headless Chromium: a whole transfer between two agencies on the platform."""

import pytest

from dangan.agencies.models import Role
from dangan.dossiers.models import Dossier
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/")


def test_transfer_from_zhifu_to_laizhou(live_server, browser, make_staff, make_dossier, agencies):
    make_staff("370602", Role.COUNTER_CLERK, Role.APPROVER, Role.ARCHIVE_KEEPER, username="zhifu")
    make_staff("370683", Role.ARCHIVE_KEEPER, username="laizhou")
    dossier = make_dossier("370602")
    person = dossier.person

    zhifu = browser.new_context(locale="zh-CN").new_page()
    _login(zhifu, live_server.url, "zhifu")
    zhifu.get_by_role("link", name="档案转递").click()
    zhifu.get_by_role("link", name="受理转出申请").click()
    zhifu.get_by_label("存档人员身份证号码").fill(person.id_number)
    zhifu.locator("#id_requester_kind").select_option("person")
    zhifu.get_by_label("申请人姓名或单位名称").fill(person.name)
    zhifu.get_by_label("接收机构（平台内）").select_option(str(agencies["370683"].pk))
    zhifu.get_by_label("转递原因").fill("工作调动")
    zhifu.get_by_label("本人有效身份证件（代办的另需受托人身份证件）").check()
    zhifu.get_by_label("接收单位出具的调档函（商调函）").check()
    zhifu.get_by_role("button", name="提交").click()
    zhifu.wait_for_url("**/console/transfers/*/")
    assert zhifu.get_by_test_id("transfer-status").inner_text() == "已受理"
    zhifu.get_by_role("button", name="审核通过").click()
    assert zhifu.get_by_test_id("transfer-status").inner_text() == "已审核"

    zhifu.get_by_label("转递方式").select_option("self_carry")
    zhifu.get_by_label("运单号/机要编号").fill("JY2026001")
    zhifu.get_by_label("档案材料份数").fill("28")
    zhifu.get_by_role("button", name="发出").click()
    assert "严禁个人自带" in zhifu.locator(".messages").inner_text()
    assert zhifu.get_by_test_id("transfer-status").inner_text() == "已审核"
    zhifu.get_by_label("转递方式").select_option("confidential_courier")
    zhifu.get_by_label("运单号/机要编号").fill("JY2026001")
    zhifu.get_by_label("档案材料份数").fill("28")
    zhifu.get_by_role("button", name="发出").click()
    assert zhifu.get_by_test_id("transfer-status").inner_text() == "已发出"
    papers = zhifu.get_by_role("link", name="打印存根、转递通知单和回执").get_attribute("href")
    pdf = zhifu.request.get(live_server.url + papers)
    assert pdf.headers["content-type"] == "application/pdf"
    assert Dossier.objects.get(pk=dossier.pk).status == "in_transfer"

    laizhou = browser.new_context(locale="zh-CN").new_page()
    _login(laizhou, live_server.url, "laizhou")
    laizhou.get_by_role("link", name="档案转递").click()
    laizhou.get_by_test_id("incoming").get_by_role("link").first.click()
    laizhou.get_by_label("送达方式").select_option("confidential_courier")
    laizhou.get_by_role("button", name="确认接收").click()
    assert laizhou.get_by_test_id("transfer-status").inner_text() == "已接收"

    moved = Dossier.objects.select_related("holding_agency").get(pk=dossier.pk)
    assert moved.holding_agency.code == "370683"
    assert moved.status == "in_custody"
    laizhou.goto(live_server.url + f"/console/dossiers/{moved.pk}/")
    assert "莱州市公共就业和人才服务中心" in laizhou.content()
    zhifu.goto(live_server.url + f"/console/dossiers/{moved.pk}/")
    assert "档案不存在或无权查看" in zhifu.content() or zhifu.title().startswith("页面不存在")
