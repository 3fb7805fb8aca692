"""The printed annexes hold every field of the originals, filled in (R27), and print blank too."""

import datetime
import re

import pytest

from dangan.agreements import services
from dangan.agreements.documents import employer_agreement_pdf, personal_agreement_pdf
from dangan.agreements.fields import EMPLOYER_FORM, PERSONAL_FORM
from dangan.agreements.jurisdiction import Places
from dangan.agreements.selectors import personal_form_prefill
from dangan.core.pdf import pdf_text

from .conftest import PERSONAL_SERVICES, TODAY

CHANGE_FORM_LABELS = ["委托集体存档单位信息变更登记表", "内容序号", "变更前信息", "变更后信息", "乙方签字（盖章）："]


def flat(pdf: bytes) -> str:
    """The text layer without whitespace: table cells and wrapped lines read as one string."""
    return re.sub(r"\s+", "", pdf_text(pdf))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.rule("R27")
def test_r27_annex_1_prints_the_agreement_the_registration_form_and_the_change_form(clerk, make_employer, sign):
    employer = make_employer(name="烟台葡萄酒物流股份有限公司", remarks="集团下属子公司")
    services.employer_change_record(
        actor=clerk, employer_id=employer.pk, field="legal_representative", after="赵敏",
        effective_on=datetime.date(2026, 7, 1), today=TODAY,
    )  # fmt: skip
    employer.refresh_from_db()
    agreement = sign(
        employer, start=datetime.date(2026, 1, 1), years=3, services=["procedures", "political_review"],
        supplement="每季度报送员工增减情况",
    )  # fmt: skip
    text = flat(employer_agreement_pdf(agreement))
    assert "烟台市单位委托集体存档协议" in text
    assert "甲方：烟台市芝罘区公共就业和人才服务中心" in text
    assert f"乙方：{employer.name}" in text
    assert "本存档协议为3年固定期限协议，委托存档期限自2026年1月1日至2028年12月31日" in text
    assert "提供以下1、3事项的公共服务" in text
    assert "☑1.为乙方办理大中专毕业生接收" in text
    assert "☐2.根据乙方委托" in text
    assert "☑3.为相关单位提供政审（考察）服务" in text
    assert "1.每季度报送员工增减情况" in text
    assert "人事专员：李娜" in text
    # the registration form: every label and every value
    assert "委托集体存档单位基本情况登记表" in text
    assert f"登记编号：{employer.registration_no}" in text
    for _name, label in EMPLOYER_FORM:
        assert squash(label) in text, label
    for value in [employer.name, employer.credit_code, "赵敏", "2015年5月20日", "500.5", employer.address,
                  "264000", "0535-6612345", "李娜", "人力资源部经理", "集团下属子公司"]:  # fmt: skip
        assert squash(value) in text, value
    assert "☑1.公司法人☐2.社团法人☐3.民办非企法人☐4.其他执业许可类机构☐5.其他" in text
    assert "注：登记编号由公共就业人才服务机构工作人员填写。" in text
    # the change form with the recorded line
    for label in CHANGE_FORM_LABELS:
        assert label in text, label
    assert "法定代表人：王建国" in text


@pytest.mark.rule("R27")
def test_r27_annex_1_blank_form_has_every_label(agencies):
    text = flat(employer_agreement_pdf(None))
    assert "烟台市单位委托集体存档协议" in text
    assert "☐1.为乙方办理大中专毕业生接收" in text
    assert "☑" not in text
    for _name, label in EMPLOYER_FORM:
        assert squash(label) in text, label
    for label in CHANGE_FORM_LABELS:
        assert label in text
    assert "登记编号：" in text


@pytest.mark.rule("R27")
def test_r27_annex_2_prints_the_agreement_and_the_registration_form_as_signed(clerk, make_dossier):
    dossier = make_dossier(
        "370602", household_region="370602", native_place="山东莱阳", political_status="03",
        work_started_on=datetime.date(2020, 7, 1), home_address="烟台市芝罘区幸福路1号",
    )  # fmt: skip
    form = {
        **personal_form_prefill(dossier), "party_joined_on": "2012年5月4日", "education": "大学本科毕业",
        "professional_title": "助理工程师", "school": "鲁东大学", "former_employer": "烟台智能电子有限公司",
        "remarks": "自由职业",
    }  # fmt: skip
    agreement = services.personal_agreement_sign(
        actor=clerk, dossier_id=dossier.pk, start_date=datetime.date(2026, 7, 1), services=PERSONAL_SERVICES,
        situation="flexible", places=Places(household_region="370602"), form=form,
    )  # fmt: skip
    text = flat(personal_agreement_pdf(agreement))
    assert "烟台市个人委托存档协议" in text
    assert f"乙方：{dossier.person.name}身份证号：{dossier.person.id_number}" in text
    assert "委托存档时间自2026年7月1日起，档案转出后自动终止" in text
    assert "提供以下1、2、3事项的公共服务" in text
    assert "☑1.档案的接收和转递" in text
    assert "☐7.为符合条件党员办理党员组织关系的接转" in text
    assert "个人委托存档基本情况登记表" in text
    for _key, label in PERSONAL_FORM:
        assert squash(label) in text, label
    for key, _label in PERSONAL_FORM:
        assert squash(agreement.form[key]) in text, key
    assert "经办人：" in text


@pytest.mark.rule("R27")
def test_r27_annex_2_blank_form_has_every_label(agencies):
    text = flat(personal_agreement_pdf(None))
    assert "烟台市个人委托存档协议" in text
    for _key, label in PERSONAL_FORM:
        assert squash(label) in text, label
    assert "☐7.为符合条件党员办理党员组织关系的接转" in text
