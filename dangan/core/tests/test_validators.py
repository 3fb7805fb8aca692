import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from dangan.core.validators import (
    resident_id_facts,
    resident_id_from_legacy,
    validate_credit_code,
    validate_landline,
    validate_mobile,
    validate_phone,
    validate_postcode,
    validate_resident_id,
)

# The sample number of GB 11643 itself, and a synthetic Yantai number with a correct check digit.
VALID_IDS = ["11010519491231002X", "370602199003071234"[:17] + ric.calc_check_digit("370602199003071230")]
# Real-world-shaped credit codes (GB 32100 check characters correct).
VALID_CREDIT_CODES = ["91370600MA3C5RGX6Y", "91110000600037341L", "91350100M000100Y43"]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_resident_ids_are_accepted(number):
    assert validate_resident_id(number) == number


def test_resident_id_is_normalised_lowercase_x_and_spaces():
    assert validate_resident_id(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("11010519491231002", "length", "身份证号码应为18位"),
        ("1101051949123100AX", "format", "前17位应为数字"),
        ("110105194913310021", "birth_date", "出生日期无效"),
        ("110105194912310021", "checksum", "校验位不正确"),
        ("990105194912310028", "region", "地区码无效"),
        ("110105209912310025", "birth_date", "出生日期无效"),
    ],
)
def test_corrupted_resident_ids_are_rejected_with_their_reason(number, code, message):
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(number)
    assert caught.value.code == code
    assert message in caught.value.messages[0]


def test_region_prefix_on_which_stdnum_raises_is_reported_not_crashed():
    body = "11900019900101123"
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(KeyError):
        ric.is_valid(number)  # the library's own behaviour that the validator must absorb
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(number)
    assert caught.value.code == "region"
    assert "地区码无效" in caught.value.messages[0]


def test_every_single_digit_corruption_of_a_valid_id_is_caught():
    number = VALID_IDS[0]
    for position in range(17):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            corrupted = number[:position] + digit + number[position + 1 :]
            with pytest.raises(ValidationError):
                validate_resident_id(corrupted)


def test_legacy_fifteen_digit_number_converts():
    assert resident_id_from_legacy("110105491231002") == "11010519491231002X"


def test_facts_carried_by_id_number():
    birth, sex = resident_id_facts("11010519491231002X")
    assert birth.isoformat() == "1949-12-31"
    assert sex == "2"  # 17th digit 2 is even: female (GB/T 2261.1 code 2)


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_valid_credit_codes_are_accepted(code):
    assert validate_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [
        ("91370600MA3C5RGX6", "length", "应为18位"),
        ("91370600MA3C5RGX6X", "checksum", "校验位不正确"),
        ("Z1370600MA3C5RGX6Y", "component", "登记管理部门"),
        ("91370600MA3C5RGY6Y", "component", "组织机构代码"),
    ],
)
def test_corrupted_credit_codes_are_rejected(code, kind, message):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == kind
    assert message in caught.value.messages[0]


@pytest.mark.parametrize("number", ["13805351234", "+86 138 0535 1234", "199-0535-1234"])
def test_mobile_numbers(number):
    assert validate_mobile(number) == "13805351234" or validate_mobile(number).startswith("199")


@pytest.mark.parametrize("number", ["12805351234", "1380535123", "23805351234"])
def test_bad_mobile_numbers(number):
    with pytest.raises(ValidationError, match="手机号码"):
        validate_mobile(number)


@pytest.mark.parametrize("number", ["0535-6688123", "05356688123", "010-62345678", "0535-6688123-801"])
def test_landlines(number):
    assert validate_landline(number)


def test_phone_accepts_either_and_explains_when_neither():
    assert validate_phone("13805351234") == "13805351234"
    assert validate_phone("0535-6688123") == "0535-6688123"
    with pytest.raises(ValidationError, match="手机号码或带区号的固定电话"):
        validate_phone("6688123")


@pytest.mark.parametrize(("value", "ok"), [("264000", True), ("26400", False), ("964000", False), ("2640a0", False)])
def test_postcodes(value, ok):
    if ok:
        assert validate_postcode(value) == value
    else:
        with pytest.raises(ValidationError, match="邮政编码应为6位数字"):
            validate_postcode(value)


@pytest.mark.parametrize("county", ["370613", "370614", "370687", "370684", "370634"])
def test_current_and_abolished_yantai_county_codes_are_valid_regions(county):
    """莱山区 (1994) for someone born 1990; 蓬莱市 and 长岛县 numbers stay valid after the 2020 merger."""
    body = county + "19900307123"
    number = body + ric.calc_check_digit(body + "0")
    assert validate_resident_id(number) == number


def test_search_term_drops_control_characters_and_trims():
    from dangan.core.validators import search_term

    assert search_term(" 王\x00小\x7f明\r\n") == "王小明"
    assert search_term("\x03") == ""
    assert search_term("a b\u00a0c") == "a b\u00a0c"  # inner spaces are part of a name


# --- 15-digit first-generation numbers (R36) ------------------------------------------------------------


@pytest.mark.rule("R36")
@pytest.mark.parametrize("spaced", ["110105491231002", " 110105 491231 002 "])
def test_a_fifteen_digit_number_is_validated_in_its_eighteen_digit_form(spaced):
    assert validate_resident_id(spaced) == "11010519491231002X"
    assert resident_id_facts(validate_resident_id(spaced)) == (datetime.date(1949, 12, 31), "2")


@pytest.mark.rule("R36")
@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("110105491331002", "birth_date", "身份证号码中的出生日期无效：491331"),
        ("110105490230002", "birth_date", "身份证号码中的出生日期无效：490230"),
        ("11010549123100X", "format", "15位身份证号码应全部为数字"),
        ("990105491231002", "region", "地区码无效"),
        ("1101054912310", "length", "身份证号码应为18位（或15位旧号码，当前13位）"),
    ],
)
def test_a_bad_fifteen_digit_number_is_refused_in_chinese(number, code, message):
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(number)
    assert caught.value.code == code
    assert message in caught.value.messages[0]


@pytest.mark.rule("R36")
def test_a_legacy_number_and_its_eighteen_digit_form_are_the_same_number():
    body = "37060219850307123"
    eighteen = body + ric.calc_check_digit(body + "0")
    legacy = eighteen[:6] + eighteen[8:17]
    assert validate_resident_id(legacy) == validate_resident_id(eighteen) == eighteen
    assert resident_id_from_legacy(legacy) == eighteen
