"""Validators for identity and contact numbers, with Chinese messages (GB 11643, GB 32100)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum import numdb
from stdnum.cn import ric, uscc

from dangan.core.codetables import table

_RIC_SHAPE = re.compile(r"^\d{17}[\dX]$")
_LEGACY_RIC_SHAPE = re.compile(r"^\d{15}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$")
_POSTCODE = re.compile(r"^[0-8]\d{5}$")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def search_term(value: str) -> str:
    """A search box's text without control characters (a scanner's CR or tab; a NUL, which PostgreSQL text
    cannot hold and would fail the query), trimmed. No stored value contains one."""
    return _CONTROL.sub("", value or "").strip()


def normalize_resident_id(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def resident_id_from_legacy(value: str) -> str:
    """Convert a 15-digit first-generation number to 18 digits (19xx birth year, new check digit).

    Arithmetic only: whether the result is a valid number is `validate_resident_id`'s verdict."""
    value = normalize_resident_id(value)
    if not _LEGACY_RIC_SHAPE.match(value):
        raise ValidationError(_("15位身份证号码应全部为数字"), code="format")
    body = value[:6] + "19" + value[6:]
    return body + ric.calc_check_digit(body + "0")


def validate_resident_id(value: str) -> str:
    """Return the normalized 18-digit number, or raise ValidationError naming what is wrong.

    A 15-digit first-generation number (GB 11643-1989: region, YYMMDD, sequence) is converted to its 18-digit
    form (19YY, computed check digit) and then checked like any other (R36): every caller stores, compares and
    derives birth date and sex from the 18-digit form only.
    """
    number = normalize_resident_id(value)
    legacy = len(number) == 15
    if legacy:
        number = resident_id_from_legacy(number)
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位（或15位旧号码，当前%(n)d位）") % {"n": len(number)}, code="length")
    if not _RIC_SHAPE.match(number):
        raise ValidationError(_("身份证号码前17位应为数字，最后一位为数字或X"), code="format")
    if number[:2] + "0000" not in table("regions"):
        raise ValidationError(_("身份证号码的地区码无效：%(code)s") % {"code": number[:6]}, code="region")
    # the date as the clerk typed it: YYMMDD in a 15-digit number, YYYYMMDD in an 18-digit one
    shown = number[8:14] if legacy else number[6:14]
    try:
        birth = ric.get_birth_date(number)
    except (stdnum_exceptions.ValidationError, ValueError):
        raise ValidationError(_("身份证号码中的出生日期无效：%(d)s") % {"d": shown}, code="birth_date") from None
    if birth > datetime.date.today() or birth.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期无效：%(d)s") % {"d": shown}, code="birth_date")
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入"), code="checksum")
    if not _region_known(number[:6]):
        raise ValidationError(_("身份证号码的地区码无效：%(code)s") % {"code": number[:6]}, code="region")
    return number


def _region_known(code: str) -> bool:
    """A county code that exists now (GB/T 2260) or existed at any time (python-stdnum's history).

    Not `ric.get_birth_place`: it raises KeyError on some unknown prefixes, and it wrongly ties the
    code to the birth year, while a code is assigned when the number is first issued.
    """
    if code in table("regions"):
        return True
    try:
        results = numdb.get("cn/loc").info(code)
    except (KeyError, ValueError):
        return False
    info = {k: v for _part, props in results for k, v in props.items()}
    return "county" in info


def resident_id_facts(number: str) -> tuple[datetime.date, str]:
    """Birth date and GB/T 2261.1 sex code carried by a valid number."""
    birth = ric.get_birth_date(number)
    sex = "1" if int(number[16]) % 2 == 1 else "2"
    return birth, sex


# GB 32100 first character, the registering authority: 机构编制, 外交, 司法, 文化, 民政, 旅游, 宗教,
# 工会, 工商/市场监管, 中央军委, 农业, 其他.
_USCC_AUTHORITIES = set("123456789ANY")
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code_check_digit(body: str) -> str:
    """GB 11714 check character of the 8-character organization code body."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def validate_credit_code(value: str) -> str:
    code = re.sub(r"\s+", "", value or "").upper()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位（当前%(n)d位）") % {"n": len(code)}, code="length")
    if code[0] not in _USCC_AUTHORITIES or not code[2:8].isdigit() or code[2:4] + "0000" not in table("regions"):
        raise ValidationError(_("统一社会信用代码的登记管理部门或机构类别代码无效"), code="component")
    org = code[8:17]
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", org) or organization_code_check_digit(org[:8]) != org[8]:
        raise ValidationError(_("统一社会信用代码中的组织机构代码校验位不正确"), code="component")
    try:
        return str(uscc.validate(code))
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(_("统一社会信用代码校验位不正确"), code="checksum") from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(_("统一社会信用代码的登记管理部门或机构类别代码无效"), code="component") from None
    except (stdnum_exceptions.ValidationError, KeyError):
        raise ValidationError(_("统一社会信用代码格式不正确"), code="format") from None


def validate_mobile(value: str) -> str:
    number = re.sub(r"[\s-]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    if not _MOBILE.match(number):
        raise ValidationError(_("手机号码应为以1开头的11位数字"), code="mobile")
    return number


def validate_landline(value: str) -> str:
    number = re.sub(r"[\s()（）]", "", value or "")
    if not _LANDLINE.match(number):
        raise ValidationError(_("固定电话应为“区号-号码”，如0535-6688123"), code="landline")
    return number


def validate_phone(value: str) -> str:
    """A mobile or a landline number."""
    try:
        return validate_mobile(value)
    except ValidationError:
        pass
    try:
        return validate_landline(value)
    except ValidationError:
        raise ValidationError(_("请输入11位手机号码或带区号的固定电话"), code="phone") from None


def validate_postcode(value: str) -> str:
    code = (value or "").strip()
    if not _POSTCODE.match(code):
        raise ValidationError(_("邮政编码应为6位数字"), code="postcode")
    return code
