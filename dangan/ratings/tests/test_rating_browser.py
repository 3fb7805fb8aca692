"""The rating page on a phone (390×844): reached from the clerk's QR page, no horizontal scroll, rates once."""

import pytest

from dangan.agencies.models import Role
from dangan.ratings.models import Rating
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.rule("R32")
def test_rating_a_counter_visit_on_a_phone(live_server, browser, make_staff):
    make_staff("370602", Role.COUNTER_CLERK, username="window1")
    clerk = browser.new_context(locale="zh-CN").new_page()
    clerk.goto(live_server.url + "/accounts/login/")
    clerk.get_by_label("用户名").fill("window1")
    clerk.get_by_label("密码").fill(PASSWORD)
    clerk.get_by_role("button", name="登录").click()
    clerk.wait_for_url("**/console/")
    clerk.goto(live_server.url + "/console/ratings/")
    clerk.get_by_role("link", name="办结窗口服务并邀请评价").click()
    clerk.get_by_label("服务事项").select_option("certificate")
    clerk.get_by_role("button", name="提交").click()
    clerk.wait_for_url("**/console/ratings/visits/*/")
    assert clerk.locator(".qr svg").count() == 1
    rate_path = clerk.get_by_test_id("rate-link").get_attribute("href").split("://", 1)[1].split("/", 1)[1]

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True).new_page()  # fmt: skip
    phone.goto(f"{live_server.url}/{rate_path}")
    assert phone.get_by_role("heading", name="服务评价").is_visible()
    assert _no_horizontal_scroll(phone)
    box = phone.get_by_label("非常不满意").bounding_box()
    assert box is not None
    assert 0 <= box["x"] <= box["x"] + box["width"] <= 390
    phone.get_by_label("非常不满意").check()
    phone.get_by_role("button", name="提交评价").click()
    assert "请说明不满意的原因" in phone.locator(".field-error").inner_text()
    assert _no_horizontal_scroll(phone)
    phone.get_by_label("意见建议").fill("排队四十分钟，只开了一个窗口")
    phone.get_by_role("button", name="提交评价").click()
    assert phone.get_by_test_id("rate-result").inner_text() == "感谢您的评价！"
    rating = Rating.objects.get()
    assert (rating.grade, rating.channel) == ("very_dissatisfied", "counter")
    assert rating.case.status == "open"

    phone.goto(f"{live_server.url}/{rate_path}")
    assert "只能评价一次" in phone.get_by_test_id("rate-result").inner_text()
    clerk.reload()
    assert clerk.get_by_test_id("visit-status").inner_text() == "已评价"
