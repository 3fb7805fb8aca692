"""The dashboard in headless Chromium shows every section, with a drawn chart where it has one."""

import pytest

from dangan.demo.loader import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_draws_every_section_for_the_demo_data(live_server, page):
    load_demo(size=120)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("city_supervisor")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/")
    page.get_by_role("link", name="统计分析").click()
    page.wait_for_selector("[data-rendered=true]")
    for key in (
        "count",
        "trend",
        "age",
        "education",
        "political",
        "ethnic",
        "entrustment",
        "agencies",
        "origins",
        "services",
        "quality",
        "worst",
        "flows",
        "titles",
        "industry",
    ):
        assert page.get_by_test_id(f"section-{key}").is_visible(), key
    drawn = page.locator("[data-rendered=true] canvas").count()
    assert drawn >= 11
    # the demo employers have industries and sizes: their dossiers are drawn by industry, stacked by size
    assert page.locator("#chart-industry[data-rendered=true] canvas").count() == 1
    assert "未计入：个人委托存档" in page.get_by_test_id("note-industry").inner_text()
