"""The employer's industry (GB/T 4754-2017 section) and enterprise size: asked at registration, shown, changed
on the change form (R28), in the API, and never printed on the registration form of annex 1 (R27)."""

import datetime
import re

import pytest
from django.urls import reverse

from dangan.agreements import services
from dangan.agreements.documents import employer_agreement_pdf
from dangan.agreements.models import ChangeRecord, Employer
from dangan.audit.models import AuditEvent
from dangan.core.codetables import table
from dangan.core.errors import ValidationFailed
from dangan.core.pdf import pdf_text

from .conftest import TODAY

API = "/api/v1"


def _legacy(employer):
    """An employer registered before industry and size were asked: both blank."""
    Employer.objects.filter(pk=employer.pk).update(industry="", size="")
    employer.refresh_from_db()
    return employer


def test_the_code_tables_hold_the_twenty_sections_and_the_sizes():
    sections = table("industry_section")
    assert [c.code for c in sections.codes] == list("ABCDEFGHIJKLMNOPQRST")
    assert sections.label("C") == "制造业"
    assert sections.label("I") == "信息传输、软件和信息技术服务业"
    assert sections.label("S") == "公共管理、社会保障和社会组织"
    assert sections.by_code["C"].extra["divisions"] == "13-43"
    assert sections.by_code["T"].extra["divisions"] == "97-97"
    assert "GB/T 4754-2017" in sections.standard
    sizes = table("enterprise_size")
    assert sizes.choices() == [("1", "大型"), ("2", "中型"), ("3", "小型"), ("4", "微型"), ("9", "不适用")]
    assert "2017" in sizes.standard


@pytest.mark.rule("R27")
def test_registration_requires_industry_and_size_with_chinese_field_messages(clerk, employer_data):
    with pytest.raises(ValidationFailed) as missing:
        services.employer_register(actor=clerk, data=employer_data(industry="", size=None), today=TODAY)
    assert missing.value.fields["industry"] == ["此项为必填项"]
    assert missing.value.fields["size"] == ["此项为必填项"]
    with pytest.raises(ValidationFailed) as wrong:
        services.employer_register(actor=clerk, data=employer_data(industry="Z", size="5"), today=TODAY)
    assert wrong.value.fields["industry"] == ["请选择国民经济行业分类门类（GB/T 4754-2017，A–T）"]
    assert "大型、中型、小型、微型" in wrong.value.fields["size"][0]
    assert not Employer.objects.exists()
    assert not AuditEvent.objects.exists()


def test_industry_and_size_are_taken_by_code_or_name_and_stored_as_codes(clerk, employer_data):
    by_name = services.employer_register(actor=clerk, data=employer_data(industry="制造业", size="小型"), today=TODAY)
    assert (by_name.industry, by_name.size) == ("C", "3")
    by_code = services.employer_register(actor=clerk, data=employer_data(industry="i", size="4"), today=TODAY)
    assert (by_code.industry, by_code.size) == ("I", "4")
    both = services.employer_register(
        actor=clerk, data=employer_data(industry="G 交通运输、仓储和邮政业", size="2"), today=TODAY
    )
    assert both.industry == "G"
    event = AuditEvent.objects.filter(action="agreements.employer_registered").order_by("pk").first()
    assert event.after["industry"] == "C 制造业"
    assert event.after["size"] == "小型"


def test_the_size_must_agree_with_the_nature(clerk, employer_data, synth):
    with pytest.raises(ValidationFailed) as company:
        services.employer_register(actor=clerk, data=employer_data(nature="1", size="9"), today=TODAY)
    assert "公司法人属于企业" in company.value.fields["size"][0]
    association = {"nature": "2", "industry": "S", "registration_authority": "civil_affairs"}
    with pytest.raises(ValidationFailed) as sized:
        services.employer_register(actor=clerk, data=employer_data(size="3", **association), today=TODAY)
    assert "不适用" in sized.value.fields["size"][0]
    employer = services.employer_register(actor=clerk, data=employer_data(size="9", **association), today=TODAY)
    assert (employer.nature, employer.industry, employer.size) == ("2", "S", "9")


@pytest.mark.rule("R28")
def test_r28_a_change_of_industry_is_one_change_line_applied_to_the_employer(clerk, make_employer):
    employer = make_employer(industry="C", size="3")
    change = services.employer_change_record(
        actor=clerk, employer_id=employer.pk, field="industry", after="I",
        effective_on=datetime.date(2026, 7, 1), reported_on=TODAY, note="营业执照经营范围变更", today=TODAY,
    )  # fmt: skip
    employer.refresh_from_db()
    assert employer.industry == "I"
    assert (change.field, change.before, change.after) == ("industry", "C 制造业", "I 信息传输、软件和信息技术服务业")
    assert change.get_field_display() == "行业门类"
    assert (change.effective_on, change.reported_on, change.recorded_by) == (datetime.date(2026, 7, 1), TODAY, clerk)
    assert not change.overdue
    event = AuditEvent.objects.get(action="agreements.employer_changed")
    assert event.before == {"industry": "C 制造业"}
    assert event.after["industry"] == "I 信息传输、软件和信息技术服务业"
    # the same industry again is no change; an unknown one is refused on the "after" field
    for after, message in (("信息传输、软件和信息技术服务业", "变更后信息与变更前相同"), ("Z", "A–T")):
        with pytest.raises(ValidationFailed) as refused:
            services.employer_change_record(
                actor=clerk, employer_id=employer.pk, field="industry", after=after,
                effective_on=datetime.date(2026, 7, 1), today=TODAY,
            )  # fmt: skip
        assert message in refused.value.fields["after"][0]
    assert ChangeRecord.objects.count() == 1


@pytest.mark.rule("R28")
def test_r28_an_employer_registered_before_gets_its_industry_and_size_by_change_lines(clerk, make_employer):
    employer = _legacy(make_employer())
    first = services.employer_change_record(
        actor=clerk, employer_id=employer.pk, field="industry", after="F", effective_on=TODAY, today=TODAY
    )
    assert (first.before, first.after) == ("", "F 批发和零售业")
    with pytest.raises(ValidationFailed) as refused:  # a company is an enterprise: 不适用 does not fit
        services.employer_change_record(
            actor=clerk, employer_id=employer.pk, field="size", after="不适用", effective_on=TODAY, today=TODAY
        )
    assert "公司法人属于企业" in refused.value.fields["after"][0]
    services.employer_change_record(
        actor=clerk, employer_id=employer.pk, field="size", after="微型", effective_on=TODAY, today=TODAY
    )
    employer.refresh_from_db()
    assert (employer.industry, employer.size) == ("F", "4")
    assert list(employer.changes.values_list("field", "before", "after")) == [
        ("industry", "", "F 批发和零售业"),
        ("size", "", "微型"),
    ]


def test_the_console_registration_form_asks_for_industry_and_size(client, world, employer_data):
    client.force_login(world.users["clerk"])
    url = reverse("agreements:employer_register")
    page = client.get(url).content.decode()
    assert "行业门类" in page
    assert "C 制造业" in page
    assert "不适用" in page
    data = {k: v for k, v in employer_data(name="烟台物流信息有限公司").items() if v not in (None, "")}
    missing = client.post(url, {k: v for k, v in data.items() if k not in ("industry", "size")})
    assert missing.status_code == 200
    errors = re.findall(r'<p class="field-error">([^<]*)</p>', missing.content.decode())
    assert errors.count("此项为必填项") == 2
    assert not Employer.objects.filter(name="烟台物流信息有限公司").exists()
    wrong = client.post(url, {**data, "size": "9"}).content.decode()
    assert "公司法人属于企业" in wrong
    done = client.post(url, {**data, "industry": "G", "size": "2"})
    assert done.status_code == 302
    employer = Employer.objects.get(name="烟台物流信息有限公司")
    assert (employer.industry, employer.size) == ("G", "2")
    shown = client.get(done["Location"]).content.decode()
    assert "G 交通运输、仓储和邮政业" in shown
    assert "中型" in shown


@pytest.mark.rule("R28")
def test_r28_the_console_change_form_changes_the_industry(client, world):
    Employer.objects.filter(pk=world.employer.pk).update(industry="C")
    client.force_login(world.users["clerk"])
    url = reverse("agreements:employer_change", args=[world.employer.pk])
    assert "行业门类" in client.get(url).content.decode()
    response = client.post(
        url, {"field": "industry", "after": "建筑业", "effective_on": world.today.isoformat(),
              "reported_on": world.today.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    change = ChangeRecord.objects.get(employer=world.employer)
    assert (change.before, change.after) == ("C 制造业", "E 建筑业")
    page = client.get(reverse("agreements:employer", args=[world.employer.pk])).content.decode()
    assert "E 建筑业" in page


def test_the_employer_page_says_when_industry_and_size_were_never_registered(client, world):
    _legacy(world.employer)
    client.force_login(world.users["clerk"])
    page = client.get(reverse("agreements:employer", args=[world.employer.pk])).content.decode()
    statistics = page.split('data-testid="employer-statistics"')[1].split("</dl>")[0]
    assert statistics.count("未登记") == 2


@pytest.mark.rule("R27")
def test_r27_the_printed_registration_form_stays_the_annex_without_industry_or_size(make_employer, sign):
    employer = make_employer(industry="C", size="3")
    text = re.sub(r"\s+", "", pdf_text(employer_agreement_pdf(sign(employer))))
    assert "委托集体存档单位基本情况登记表" in text
    for absent in ("行业门类", "企业规模", "制造业", "小型"):
        assert absent not in text, absent


def test_the_api_requires_and_returns_industry_and_size(api_client, world, employer_data):
    api_client.force_authenticate(world.users["clerk"])
    data = employer_data(name="烟台电子智能有限公司")
    data["founded_on"] = data["founded_on"].isoformat()
    missing = api_client.post(f"{API}/employers/", {k: v for k, v in data.items() if k != "industry"}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["fields"]) == {"industry"}
    wrong = api_client.post(f"{API}/employers/", {**data, "size": "5"}, format="json")
    assert wrong.status_code == 400
    assert set(wrong.json()["fields"]) == {"size"}
    created = api_client.post(f"{API}/employers/", {**data, "industry": "C", "size": "1"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["industry"], body["industry_label"], body["size"], body["size_label"]) == (
        "C",
        "C 制造业",
        "1",
        "大型",
    )
    _legacy(world.employer)
    legacy = api_client.get(f"{API}/employers/{world.employer.pk}/").json()
    assert (legacy["industry"], legacy["industry_label"], legacy["size"], legacy["size_label"]) == ("", "", "", "")
    change = api_client.post(
        f"{API}/employers/{world.employer.pk}/changes/",
        {"field": "size", "after": "小型", "effective_on": world.today.isoformat()},
        format="json",
    )
    assert change.status_code == 201, change.json()
    assert (change.json()["field_label"], change.json()["after"]) == ("企业规模", "小型")
