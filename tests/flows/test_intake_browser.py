"""Issue 3 journey in headless Chromium: a counter clerk receives a dossier with two missing key materials (R11)."""

import pytest

from dangan.agencies.models import Role
from dangan.dossiers.models import Gap
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/")


def test_clerk_receives_a_dossier_with_two_gaps_and_closes_one_when_the_material_arrives(
    live_server, page, make_staff, synth
):
    make_staff("370602", Role.COUNTER_CLERK, Role.DATA_CLERK, username="clerk")
    person = synth.person(min_age=22, max_age=25)
    _login(page, live_server.url, "clerk")
    page.get_by_role("link", name="档案接收").click()
    page.get_by_label("姓名").fill(person.name)
    page.get_by_label("证件号码").fill(person.id_number)
    page.get_by_label("民族").select_option("01")
    page.get_by_label("籍贯").fill("山东烟台")
    page.get_by_label("户籍所在地").select_option(person.household_region)
    page.get_by_label("政治面貌").select_option("13")
    page.get_by_label("人员类别").select_option("3")
    page.get_by_label("联系电话").fill(person.phone)
    page.get_by_label("最高学历").select_option("21")
    page.get_by_label("毕业院校").fill("烟台大学")
    page.get_by_label("档案来源类型").select_option("school")
    page.get_by_label("档案来源（单位或机构名称）").fill("烟台大学")
    page.get_by_label("送达方式").select_option("confidential_courier")
    rows = page.get_by_test_id("missing-materials").locator("tbody tr")
    rows.nth(0).locator("select").select_option("4-1")
    rows.nth(0).locator("input").nth(0).fill("本科毕业生登记表")
    rows.nth(1).locator("select").select_option("6")
    rows.nth(1).locator("input").nth(0).fill("入团志愿书")
    page.get_by_label("告知对象（本人或单位）").fill("本人")
    page.get_by_label("当事人已签署知情说明并承诺补充").check()
    page.get_by_label("承诺补充期限").fill("2099-09-30")
    page.get_by_role("button", name="确认接收").click()

    page.wait_for_load_state("networkidle")
    errors = [e.evaluate("n => n.parentElement.innerText") for e in page.locator(".field-error").all()]
    assert "/intakes/" in page.url, errors

    gap_list = page.get_by_test_id("gap-list").inner_text()
    assert "本科毕业生登记表" in gap_list
    assert "入团志愿书" in gap_list
    with page.expect_popup() as popup:
        page.get_by_role("link", name="打印档案材料缺失告知书").click()
    notice = popup.value
    response = page.request.get(notice.url)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    notice.close()

    page.get_by_role("link", name="缺失材料跟踪").click()
    follow_up = page.get_by_test_id("follow-up").inner_text()
    assert "本科毕业生登记表" in follow_up
    assert "入团志愿书" in follow_up

    page.get_by_test_id("follow-up").get_by_role("link").first.click()
    assert page.get_by_test_id("completeness").inner_text().endswith("/26")
    page.get_by_test_id("materials-section").get_by_role("link", name="登记材料").click()
    page.get_by_label("类号").select_option("4-1")
    page.get_by_label("材料名称").fill("本科毕业生登记表")
    page.get_by_label("材料制成时间").fill("2026.06")
    page.get_by_label("页数").fill("4")
    page.get_by_label("材料来源").select_option("person")
    page.get_by_label("收到日期").fill("2026-08-01")
    gap = Gap.objects.get(title="本科毕业生登记表")
    page.get_by_label("补充接收时缺失的材料").select_option(str(gap.pk))
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state("networkidle")

    page.goto(live_server.url + "/console/dossiers/gaps/")
    follow_up = page.get_by_test_id("follow-up").inner_text()
    assert "本科毕业生登记表" not in follow_up
    assert "入团志愿书" in follow_up
    page.goto(live_server.url + "/console/dossiers/gaps/?status=closed")
    assert "本科毕业生登记表" in page.get_by_test_id("follow-up").inner_text()
