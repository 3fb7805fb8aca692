"""A clerk signs in through the real login page in headless Chromium and sees the console."""

import pytest

from dangan.agencies.models import Role
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_through_the_real_page(live_server, page, make_staff, make_dossier):
    make_staff("370602", Role.COUNTER_CLERK, username="zhifu_clerk")
    dossier = make_dossier("370602")
    page.goto(live_server.url + "/")
    assert page.title().startswith("登录")
    page.get_by_label("用户名").fill("zhifu_clerk")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().strip() == "用户名或密码不正确"
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/")
    assert page.get_by_test_id("current-agency").inner_text() == "烟台市芝罘区公共就业和人才服务中心"
    assert "窗口经办" in page.get_by_test_id("roles").inner_text()
    page.get_by_role("link", name="档案查询").click()
    page.get_by_label("检索").fill(dossier.person.name)
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name=dossier.number).click()
    assert page.get_by_test_id("id-number").inner_text() == dossier.person.id_number
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")


def test_console_fits_a_phone_screen(live_server, browser, make_staff):
    make_staff("370602", Role.COUNTER_CLERK, username="phone_clerk")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(live_server.url + "/accounts/login/")
    tab.get_by_label("用户名").fill("phone_clerk")
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("button", name="登录").click()
    tab.wait_for_url("**/console/")
    width = tab.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390
