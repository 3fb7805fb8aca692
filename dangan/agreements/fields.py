"""The registration forms of annexes 1 and 2 (R27): their fields, checks and display (pure, no writes)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangan.agreements import catalogue
from dangan.core.codetables import region_name, table
from dangan.core.errors import ValidationFailed
from dangan.core.validators import validate_credit_code, validate_phone, validate_postcode

Errors = dict[str, list[str]]

# 委托集体存档单位基本情况登记表, in the order of the printed form.
EMPLOYER_FORM: tuple[tuple[str, str], ...] = (
    ("name", "名 称"),
    ("nature", "性 质"),
    ("credit_code", "证照号"),
    ("legal_representative", "法定代表人"),
    ("founded_on", "成立日期"),
    ("registered_capital", "注册资金 (万元)"),
    ("address", "地 址"),
    ("postcode", "邮政编码"),
    ("phone", "联系电话"),
    ("contact", "联 系 人"),
    ("contact_post", "联系人职务"),
    ("remarks", "备 注"),
)
# 个人委托存档基本情况登记表.
PERSONAL_FORM: tuple[tuple[str, str], ...] = (
    ("name", "姓 名"),
    ("sex", "性 别"),
    ("native_place", "籍 贯"),
    ("work_started_on", "参加工作时间"),
    ("id_number", "身份证号"),
    ("political_status", "政治面貌"),
    ("party_joined_on", "入党（团）时间"),
    ("education", "文化程度"),
    ("professional_title", "专业技术职务"),
    ("school", "毕业院校"),
    ("former_employer", "原工作单位"),
    ("home_address", "家庭住址"),
    ("household_registration", "户籍所在地"),
    ("phone", "联系电话"),
    ("remarks", "备 注"),
)
# Asked at registration but not on the printed form of annex 1 (R27): the employer's statistical classification,
# for the distribution of dossiers by employer industry and size (R38).
EMPLOYER_STATISTICS: tuple[tuple[str, str], ...] = (
    ("industry", "行业门类"),
    ("size", "企业规模"),
)
PERSONAL_KEYS = tuple(key for key, _label in PERSONAL_FORM)
PERSONAL_MAX = {
    "home_address": 200,
    "remarks": 500,
    "former_employer": 100,
    "school": 100,
    "household_registration": 100,
}
EMPLOYER_TEXT_MAX = {
    "name": 100, "legal_representative": 50, "address": 200, "contact": 50, "contact_post": 50, "remarks": 1000,
}  # fmt: skip
EMPLOYER_REQUIRED = (
    "name", "nature", "credit_code", "legal_representative", "founded_on", "address", "postcode", "phone",
    "contact", "contact_post", "registration_level", "registration_authority", "county_code", "industry", "size",
)  # fmt: skip
MAX_CAPITAL = Decimal("9999999999")
REQUIRED = "此项为必填项"
INDUSTRY_TABLE = "industry_section"
SIZE_TABLE = "enterprise_size"
SIZE_NOT_APPLICABLE = "9"
COMPANY = "1"  # 公司法人: always an enterprise
NON_ENTERPRISES = frozenset({"2", "3"})  # 社团法人、民办非企法人: never an enterprise


def _text(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def check_county(code: str) -> str | None:
    """An error message, or None for a county-level GB/T 2260 code."""
    region = table("regions").by_code.get(code)
    if region is None or region.extra.get("level") != "county":
        return _("请选择区（县、市）级行政区划：%(c)s 无效") % {"c": code}
    return None


def _code_in(table_name: str, value: Any) -> str | None:
    """A code of the table given by its code (any case), its name, or both ("C 制造业"); None if none matches."""
    text = _text(value)
    codes = table(table_name)
    if text.upper() in codes:
        return text.upper()
    by_name = {c.name: c.code for c in codes.codes}
    if text in by_name:
        return by_name[text]
    head, _sep, rest = text.partition(" ")
    if head.upper() in codes and rest.strip() == codes.label(head.upper()):
        return head.upper()
    return None


def check_size_for_nature(nature: str, size: str) -> str | None:
    """An error message when the size contradicts the nature (a company is an enterprise; an association is not)."""
    if nature == COMPANY and size == SIZE_NOT_APPLICABLE:
        return _("公司法人属于企业，请按《统计上大中小微型企业划分办法（2017）》选择大型、中型、小型或微型")
    if nature in NON_ENTERPRISES and size and size != SIZE_NOT_APPLICABLE:
        return _("社团法人、民办非企法人不是企业，企业规模请选择“不适用”")
    return None


def clean_capital(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("注册资金应为数字（单位：万元）")) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_CAPITAL:
        raise ValidationError(_("注册资金应为不小于0的数字（单位：万元）"))
    return amount.quantize(Decimal("0.0001"))


def clean_employer_value(name: str, value: Any, errors: Errors, today: datetime.date) -> Any:
    """One field of the employer's registration form, checked and normalised; errors collected."""

    def fail(message: str) -> None:
        errors.setdefault(name, []).append(message)

    try:
        if name == "credit_code":
            return validate_credit_code(_text(value))
        if name == "postcode":
            return validate_postcode(_text(value))
        if name == "phone":
            return validate_phone(_text(value))
        if name == "registered_capital":
            return clean_capital(value)
    except ValidationError as exc:
        fail(exc.messages[0])
        return value
    if name == "nature":
        if _text(value) not in table("employer_nature"):
            fail(_("请选择单位性质（公司法人、社团法人、民办非企法人、其他执业许可类机构、其他）"))
        return _text(value)
    if name == "industry":
        industry = _code_in(INDUSTRY_TABLE, value)
        if industry is None:
            fail(_("请选择国民经济行业分类门类（GB/T 4754-2017，A–T）"))
            return _text(value)
        return industry
    if name == "size":
        size = _code_in(SIZE_TABLE, value)
        if size is None:
            fail(_("请选择企业规模：大型、中型、小型、微型；社团法人等非企业单位选择“不适用”"))
            return _text(value)
        return size
    if name == "founded_on":
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                fail(_("成立日期格式应为YYYY-MM-DD"))
                return None
        if value is not None and value > today:
            fail(_("成立日期不能晚于今天"))
        return value
    text = _text(value) if name != "remarks" else str(value or "").strip()
    limit = EMPLOYER_TEXT_MAX.get(name)
    if limit and len(text) > limit:
        fail(_("不能超过%(n)d个字") % {"n": limit})
    return text


def clean_services(kind: str, selected: Any, field_name: str = "services") -> list[str]:
    """R23: at least one of the listed services, in the annex's order."""
    chosen = [str(code) for code in (selected or [])]
    unknown = [code for code in chosen if code not in catalogue.codes(kind)]
    count = len(catalogue.services(kind))
    annex = "附件1 二" if kind == catalogue.EMPLOYER else "附件2 二"
    if unknown:
        raise ValidationFailed(
            _("服务事项无效：%(c)s") % {"c": "、".join(unknown)}, fields={field_name: [_("请从所列服务事项中选择")]}
        )
    if not chosen:
        message = _("协议须写明提供哪些服务事项，请至少选择一项（R23，%(annex)s所列%(n)d项）") % {
            "annex": annex, "n": count,
        }  # fmt: skip
        raise ValidationFailed(message, code="no_service", fields={field_name: [message]})
    return catalogue.ordered(kind, chosen)


def employer_form_rows(employer: Any) -> list[tuple[str, str]]:
    """(label, value) of each line of the employer's registration form."""
    return [(label, employer_display(name, getattr(employer, name))) for name, label in EMPLOYER_FORM]


def employer_statistics_rows(employer: Any) -> list[tuple[str, str]]:
    """(label, value) of the employer's industry and size (shown on its page, not printed on annex 1)."""
    return [(label, employer_display(name, getattr(employer, name))) for name, label in EMPLOYER_STATISTICS]


def employer_display(name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if name == "nature":
        return table("employer_nature").label(str(value))
    if name == "industry":
        label = table(INDUSTRY_TABLE).label(str(value))
        return f"{value} {label}" if label != value else str(value)
    if name == "size":
        return table(SIZE_TABLE).label(str(value))
    if name == "founded_on" and isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if name == "registered_capital":
        return f"{Decimal(value).normalize():f}"
    return str(value)


def clean_personal_form(form: dict[str, Any], *, person_name: str, person_id_number: str) -> dict[str, str]:
    """The individual's registration form as it will be signed: texts, checked (R27)."""
    errors: Errors = {}
    clean = {key: _text(form.get(key)) for key in PERSONAL_KEYS}
    clean["remarks"] = str(form.get("remarks") or "").strip()
    for key in ("name", "id_number", "sex"):
        if not clean[key]:
            errors.setdefault(f"form.{key}", []).append(_(REQUIRED))
    if clean["name"] and clean["name"] != person_name:
        errors.setdefault("form.name", []).append(_("姓名与档案不一致（档案为%(n)s）") % {"n": person_name})
    if clean["id_number"] and clean["id_number"].upper() != person_id_number:
        errors.setdefault("form.id_number", []).append(_("身份证号与档案不一致"))
    sexes = {c.name for c in table("sex").codes}
    if clean["sex"] and clean["sex"] not in sexes:
        errors.setdefault("form.sex", []).append(_("性别应为：%(s)s") % {"s": "、".join(sorted(sexes))})
    if clean["phone"]:
        try:
            clean["phone"] = validate_phone(clean["phone"])
        except ValidationError as exc:
            errors.setdefault("form.phone", []).append(exc.messages[0])
    for key, value in clean.items():
        limit = PERSONAL_MAX.get(key, 50)
        if len(value) > limit:
            errors.setdefault(f"form.{key}", []).append(_("不能超过%(n)d个字") % {"n": limit})
    if errors:
        raise ValidationFailed(_("个人委托存档基本情况登记表填写有误，请按提示修改"), fields=errors)
    clean["id_number"] = clean["id_number"].upper()
    return clean


def personal_form_rows(form: dict[str, Any]) -> list[tuple[str, str]]:
    return [(label, str(form.get(key, "") or "")) for key, label in PERSONAL_FORM]


def place_label(code: str) -> str:
    return region_name(code) if code else ""
