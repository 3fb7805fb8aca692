"""The import template's columns, derived from the basic-information declaration (R35, R36).

The person, dossier and location columns come from `dossiers.basicinfo.ITEMS`, so when the official
list of items arrives, the template follows. Only what a flat ledger cannot carry in one cell is
spelled out here: the ID type beside the ID number, the title level beside the title, the four parts
of a storage place, and the rows of family members (not importable from a one-row-per-person ledger).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dangan.core.codetables import table
from dangan.dossiers.basicinfo import ITEMS, Item

LEDGER_SHEET = "档案台账"
MATERIALS_SHEET = "材料目录"
HINT_PREFIX = "填写说明"
# Columns a legacy ledger often carries that mean nothing to the import: skipped, never an error.
IGNORED_HEADERS = frozenset({"", "序号", "行号"})
DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    hint: str
    required: bool = False  # an empty cell is an error
    mandatory: bool = False  # one of the 26 mandatory items of the collection standard
    text: bool = False  # formatted as text in the template (numbers Excel would otherwise mangle)


# Filled cells the import cannot do without; the other mandatory items are reported by the completeness
# report after the import (R35), so that a legacy ledger with gaps can still be brought in.
REQUIRED_KEYS = frozenset({"name", "id_number", "received_on", "entrustment_type"})
TEXT_KINDS = frozenset({"id", "phone", "date", "region", "code"})
_HINTS: dict[str, str] = {
    "name": "必填",
    "id_number": "必填；身份证号码18位，末位可为X（15位旧号码自动升为18位）；请将本列设为文本格式",
    "birth_date": "如 1990-01-01；居民身份证可不填（按证件号码）",
    "sex": "男、女，或代码 1、2；居民身份证可不填",
    "native_place": "如 山东烟台",
    "party_joined_on": "政治面貌为党员、预备党员、团员时必填，如 2010-07-01",
    "work_started_on": "如 2012-07 或 2012-07-01",
    "graduated_on": "如 2012-07 或 2012-07-01",
    "school": "填写最高学历时必填",
    "entrustment_type": "必填：单位委托集体存档 或 个人委托存档",
    "number": "原台账中的档案编号；留空则由平台按本机构规则编号",
    "received_on": "必填，如 2015-03-01，不能晚于今天",
    "source_name": "档案从何处转来；留空时使用本次导入填写的默认来源",
    "credit_code": "18位；填写时须同时填写工作单位",
    "phone": "11位手机号码或带区号的固定电话",
    "postcode": "6位数字",
    "email": "如 name@example.com",
}
ID_TYPE = Column(
    "id_type", "证件类型", "留空为居民身份证；或 护照、港澳居民居住证、台湾居民居住证、外国人永久居留身份证"
)
TITLE_LEVEL = Column("title_level", "职称级别", "初级、中级、副高级、正高级；留空时按职称名称判断")
LOCATION_COLUMNS = (
    Column("room", "库房", "实物保管机构的库房名称（只能是库房，不能是阅档室或办公室）"),
    Column("cabinet", "档案柜", "档案柜号，1至999", text=True),
    Column("tier", "层", "层号，1至20", text=True),
    Column("position", "格", "格号，1至200", text=True),
)


def _code_hint(item: Item) -> str:
    assert item.code_table is not None
    codes = table(item.code_table).codes
    if item.code_table == "regions":
        return "GB/T 2260 六位代码或全称，如 370602 或 山东省烟台市芝罘区"
    if not codes:
        return "代码或名称"
    example = codes[1] if item.code_table in {"sex", "ethnic_group"} and len(codes) > 1 else codes[0]
    if item.code_table == "sex":
        example = table("sex").by_code.get("1", example)
    return f"{table(item.code_table).standard} 代码或名称，如 {example.code} 或 {example.name}"


def _hint(item: Item) -> str:
    if item.key in _HINTS:
        hint = _HINTS[item.key]
    elif item.code_table:
        hint = _code_hint(item)
    elif item.kind == "date":
        hint = "如 2010-07-01"
    else:
        hint = ""
    if item.noneable:
        hint = f"{hint}；没有请填“无”" if hint else "没有请填“无”"
    return hint


def _from_item(item: Item) -> Column:
    return Column(
        key=item.key,
        header=item.label if item.key != "id_number" else "证件号码",
        hint=_hint(item),
        required=item.key in REQUIRED_KEYS,
        mandatory=item.mandatory,
        text=item.kind in TEXT_KINDS or item.key in {"postcode", "social_security_no", "credit_code", "number"},
    )


def _ledger_columns() -> tuple[Column, ...]:
    columns: list[Column] = []
    for item in ITEMS:
        if item.source == "family":
            continue  # rows of relatives: entered on the dossier page, not in a one-row ledger
        if item.key == "id_number":
            columns.extend((ID_TYPE, _from_item(item)))
        elif item.key == "location":
            columns.extend(LOCATION_COLUMNS)
        elif item.key == "title":
            columns.extend((_from_item(item), TITLE_LEVEL))
        else:
            columns.append(_from_item(item))
    return tuple(columns)


LEDGER_COLUMNS = _ledger_columns()
MATERIAL_COLUMNS = (
    Column("id_number", "证件号码", "必填；须是档案台账中的人员", required=True, text=True),
    Column("material_class", "类号", "必填；2018年分类或1991年分类的类号或类名，如 4-1 或 学历学位材料", required=True),
    Column("title", "材料名称", "必填，不超过200字", required=True),
    Column("formed", "材料制成时间", "如 2010、2010.03 或 2010.03.05；不详可不填", text=True),
    Column("copies", "份数", "留空为1", text=True),
    Column("pages", "页数", "必填，1至9999", required=True, text=True),
    Column("remarks", "备注", "不超过200字"),
)
LEDGER_BY_HEADER = {c.header: c for c in LEDGER_COLUMNS}
MATERIAL_BY_HEADER = {c.header: c for c in MATERIAL_COLUMNS}
# Header spellings of older ledgers, mapped to the template's.
ALIASES = {
    "证件类型及号码": "证件号码",
    "身份证号码": "证件号码",
    "身份证号": "证件号码",
    "专业技术职务": "专业技术职务（职称）",
}

_HEADER_NOISE = re.compile(r"[\s*＊]")


def normalise_header(text: str) -> str:
    """Ignore spaces and the mandatory marker; half-width brackets count as full-width."""
    header = _HEADER_NOISE.sub("", text).replace("(", "（").replace(")", "）")
    return ALIASES.get(header, header)


@cache
def material_classes() -> dict[str, str]:
    """Every spelling of a class (2018 or 1991 number or name) → the 2018 code it is filed under."""
    mapping: dict[str, str] = {}
    with (DATA_DIR / "material_classes_1991.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            mapping[row["name"]] = row["maps_to"]
            mapping.setdefault(row["code"], row["maps_to"])
    for code in table("material_class").codes:
        mapping[code.name] = code.code
        mapping[code.code] = code.code  # the 2018 number wins where the schemes share one
    return mapping


_CLASS_NOISE = re.compile(r"[\s第类（）()]")
_CLASS_SEPARATOR = re.compile(r"[.．—－_/]")
_CHINESE_NUMBERS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}


def material_class_code(text: str) -> str | None:
    """The 2018 code for what a catalogue writes: 4-1, 4.1, 第四类, 十, 学历学位材料 …; None if unknown."""
    mapping = material_classes()
    value = text.strip()
    if value in mapping:
        return mapping[value]
    compact = _CLASS_SEPARATOR.sub("-", _CLASS_NOISE.sub("", value))
    if compact == "十":
        compact = "10"
    compact = "".join(_CHINESE_NUMBERS.get(ch, ch) for ch in compact)
    return mapping.get(compact)
