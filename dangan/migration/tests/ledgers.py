"""Generated ledgers (synthetic people, never real data), written as CSV in the template's columns.

`LedgerPlan` builds a ledger of n people and its catalogue; `plant` lists the (row, kind) errors to put
in. A planted row is regenerated clean for the fixed file, so the fixed ledger is the planted one with
exactly those rows corrected.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dangan.demo.synthetic import SCHOOLS, Synth, SynthEmployer, SynthPerson
from dangan.migration.columns import LEDGER_COLUMNS, MATERIAL_COLUMNS

HEADERS = [c.header for c in LEDGER_COLUMNS]
MATERIAL_HEADERS = [c.header for c in MATERIAL_COLUMNS]
SOURCE = "原烟台市交通运输局人才交流中心"
ROOM = "库房1"
READING_ROOM = "阅档室"
TODAY = datetime.date.today()
PLACES_PER_CABINET = 10 * 20  # tiers × positions

# kind → (sheet, column) of the one error it causes
KINDS: dict[str, tuple[str, str]] = {
    "bad_checksum": ("档案台账", "证件号码"),
    "unknown_ethnic": ("档案台账", "民族"),
    "birth_mismatch": ("档案台账", "出生日期"),
    "duplicate_in_file": ("档案台账", "证件号码"),
    "id_in_database": ("档案台账", "证件号码"),
    "unknown_class": ("材料目录", "类号"),
    "future_received": ("档案台账", "档案接收日期"),
    "bad_phone": ("档案台账", "联系电话"),
    "reading_room": ("档案台账", "库房"),
    "unknown_room": ("档案台账", "库房"),
    "party_without_date": ("档案台账", "入党（团）时间"),
    "bad_credit_code": ("档案台账", "单位统一社会信用代码"),
    "bad_date": ("档案台账", "参加工作时间"),
    "missing_name": ("档案台账", "姓名"),
    "bad_entrustment": ("档案台账", "存档类型"),
    "duplicate_place": ("档案台账", "库房"),
    "duplicate_number": ("档案台账", "档案编号"),
    "number_in_database": ("档案台账", "档案编号"),
    "place_taken": ("档案台账", "库房"),
    "material_unknown_person": ("材料目录", "证件号码"),
    "material_zero_pages": ("材料目录", "页数"),
    "material_future": ("材料目录", "材料制成时间"),
    "unknown_region": ("档案台账", "户籍所在地"),
    "sex_mismatch": ("档案台账", "性别"),
    "bad_postcode": ("档案台账", "邮政编码"),
    "class_needs_subclass": ("材料目录", "类号"),
    "education_missing": ("档案台账", "最高学历"),
    "work_too_early": ("档案台账", "参加工作时间"),
}
DATABASE_KINDS = ("id_in_database", "number_in_database", "place_taken")


def place_of(index: int) -> tuple[int, int, int]:
    cabinet, rest = divmod(index, PLACES_PER_CABINET)
    tier, position = divmod(rest, 20)
    return cabinet + 1, tier + 1, position + 1


@dataclass
class Written:
    ledger: Path
    materials: Path
    ledger_rows: int
    material_rows: int
    # (sheet, row, column) of every planted error, as the report must give them
    expected: set[tuple[str, int, str]] = field(default_factory=set)


@dataclass
class LedgerPlan:
    size: int
    seed: int = 2024
    plants: dict[int, str] = field(default_factory=dict)  # ledger index → kind
    spare: int = 200

    def __post_init__(self) -> None:
        synth = Synth(seed=self.seed)
        self.people: list[SynthPerson] = [synth.person(today=TODAY) for _ in range(self.size + self.spare)]
        self.employers: list[SynthEmployer] = [synth.employer() for _ in range(150)]
        self._spare_used = 0

    # --- the database conflicts a few plants need -----------------------------------------------------------

    def spare_person(self, k: int) -> SynthPerson:
        return self.people[self.size + k]

    def conflicts(self) -> dict[str, list[tuple[int, SynthPerson | str | tuple[int, int, int]]]]:
        """What the database must already hold: people, numbers and occupied places, per planted row."""
        found: dict[str, list[tuple[int, SynthPerson | str | tuple[int, int, int]]]] = {k: [] for k in DATABASE_KINDS}
        for index, kind in sorted(self.plants.items()):
            if kind == "id_in_database":
                found[kind].append((index, self.people[index]))
            elif kind == "number_in_database":
                found[kind].append((index, self.number(index)))
            elif kind == "place_taken":
                found[kind].append((index, place_of(index)))
        return found

    @staticmethod
    def number(index: int) -> str:
        return f"LS{index + 1:06d}"

    # --- rows --------------------------------------------------------------------------------------------

    def person_for(self, index: int, planted: bool) -> SynthPerson:
        kind = self.plants.get(index)
        if not planted and kind == "id_in_database":
            return self.spare_person(sorted(self.plants).index(index))  # the fixed row: another person
        return self.people[index]

    def row(self, index: int, *, planted: bool) -> tuple[dict[str, str], list[list[str]]]:
        rnd = random.Random(index * 7919 + self.seed)
        p = self.person_for(index, planted)
        e = self.employers[index % len(self.employers)]
        political = rnd.choices(("群众", "中共党员", "共青团员", "13"), weights=(70, 15, 10, 5))[0]
        adult = p.birth_date + datetime.timedelta(days=365 * 18 + 5)
        work = min(adult + datetime.timedelta(days=rnd.randrange(0, 1500)), TODAY)
        graduated = adult + datetime.timedelta(days=4 * 365)
        cabinet, tier, position = place_of(index)
        row = dict.fromkeys(HEADERS, "")
        row.update(
            {
                "姓名": p.name, "性别": ("男" if p.sex == "1" else "女") if index % 3 else p.sex,
                "出生日期": p.birth_date.isoformat() if index % 4 else "", "证件号码": p.id_number,
                "民族": "汉族" if p.ethnic_group == "01" else p.ethnic_group, "籍贯": "山东烟台",
                "户籍所在地": p.household_region, "政治面貌": political,
                "入党（团）时间": min(adult + datetime.timedelta(days=400), TODAY).isoformat() if political in ("中共党员", "共青团员") else "",
                "参加工作时间": work.strftime("%Y-%m"), "最高学历": rnd.choice(("大学本科毕业", "21", "大学专科毕业")),
                "最高学位": rnd.choice(("学士", "无")), "毕业院校": rnd.choice(SCHOOLS), "所学专业": "计算机科学与技术",
                "毕业时间": graduated.strftime("%Y-%m") if graduated <= TODAY else "",
                "专业技术职务（职称）": rnd.choice(("工程师", "无", "", "高级会计师")), "职业资格": rnd.choice(("", "无", "电工")),
                "工作单位": e.name, "单位统一社会信用代码": e.credit_code,
                "存档类型": rnd.choice(("个人委托存档", "单位委托集体存档", "个人")), "人员类别": str(rnd.randrange(1, 8)),
                "档案编号": self.number(index), "档案接收日期": (TODAY - datetime.timedelta(days=rnd.randrange(30, 5000))).isoformat(),
                "档案来源": SOURCE if index % 2 else "", "联系电话": p.phone, "邮政编码": "264000" if index % 5 == 0 else "",
                "库房": ROOM, "档案柜": str(cabinet), "层": str(tier), "格": str(position),
            }
        )  # fmt: skip
        if index % 10 == 9:  # some dossiers are not on a shelf yet
            row.update({"库房": "", "档案柜": "", "层": "", "格": ""})
        kind = self.plants.get(index)
        if not planted and kind == "number_in_database":
            row["档案编号"] = f"FX{index + 1:06d}"
        if not planted and kind == "place_taken":
            row.update({"档案柜": "998", "层": "1", "格": str(sorted(self.plants).index(index) + 1)})
        materials = [
            [p.id_number, "1", "干部履历表", f"{work.year}.{work.month:02d}", "1", str(rnd.randrange(1, 9)), ""],
        ]
        if index % 3 == 0:
            materials.append(
                [
                    p.id_number,
                    rnd.choice(("4-1", "学历学位材料", "履历材料", "10")),
                    "毕业生登记表",
                    str(work.year),
                    "",
                    "2",
                    "原件",
                ]
            )
        if planted and kind:
            self._plant(kind, index, row, materials)
        return row, materials

    def _plant(self, kind: str, index: int, row: dict[str, str], materials: list[list[str]]) -> None:
        p = self.people[index]
        earlier, _ = self.row(index - 5, planted=False)
        if kind == "bad_checksum":
            last = "0" if p.id_number[-1] != "0" else "1"
            row["证件号码"] = p.id_number[:-1] + last
            for m in materials:
                m[0] = row["证件号码"]
        elif kind == "unknown_ethnic":
            row["民族"] = "火星族"
        elif kind == "birth_mismatch":
            row["出生日期"] = (p.birth_date + datetime.timedelta(days=1)).isoformat()
        elif kind == "duplicate_in_file":
            row["证件号码"] = earlier["证件号码"]
            row["出生日期"], row["性别"] = earlier["出生日期"], earlier["性别"]
            for m in materials:
                m[0] = row["证件号码"]
        elif kind == "unknown_class":
            materials[0][1] = "第十一类"
        elif kind == "future_received":
            row["档案接收日期"] = (TODAY + datetime.timedelta(days=3)).isoformat()
        elif kind == "bad_phone":
            row["联系电话"] = "12345"
        elif kind == "reading_room":
            row.update({"库房": READING_ROOM, "档案柜": "1", "层": "1", "格": "1"})
        elif kind == "unknown_room":
            row.update({"库房": "地下室", "档案柜": "1", "层": "1", "格": "1"})
        elif kind == "party_without_date":
            row["政治面貌"], row["入党（团）时间"] = "中共党员", ""
        elif kind == "bad_credit_code":
            code = row["单位统一社会信用代码"]
            row["单位统一社会信用代码"] = code[:-1] + ("0" if code[-1] != "0" else "1")
        elif kind == "bad_date":
            row["参加工作时间"] = "2010年13月"
        elif kind == "missing_name":
            row["姓名"] = ""
        elif kind == "bad_entrustment":
            row["存档类型"] = "寄存"
        elif kind == "duplicate_place":
            row.update({k: earlier[k] for k in ("库房", "档案柜", "层", "格")})
            if not earlier["库房"]:
                raise AssertionError("plant duplicate_place next to a shelved row")
        elif kind == "duplicate_number":
            row["档案编号"] = earlier["档案编号"]
        elif kind == "material_unknown_person":
            materials[0][0] = self.spare_person(self.spare - 1).id_number
        elif kind == "material_zero_pages":
            materials[0][5] = "0"
        elif kind == "material_future":
            materials[0][3] = str(TODAY.year + 1)
        elif kind == "unknown_region":
            row["户籍所在地"] = "379999"
        elif kind == "sex_mismatch":
            row["性别"] = "女" if p.sex == "1" else "男"
        elif kind == "bad_postcode":
            row["邮政编码"] = "26400"
        elif kind == "class_needs_subclass":
            materials[0][1] = "4"
        elif kind == "education_missing":
            row["最高学历"] = ""
        elif kind == "work_too_early":
            row["参加工作时间"] = (p.birth_date + datetime.timedelta(days=365 * 10)).strftime("%Y-%m")
        elif kind not in DATABASE_KINDS:
            raise AssertionError(kind)
        if kind in ("reading_room", "unknown_room", "duplicate_place") and not row["库房"]:
            raise AssertionError(kind)

    def write(
        self, folder: Path, *, planted: bool, encoding: str = "utf-8", name: str = "", rows: range | None = None
    ) -> Written:
        folder.mkdir(parents=True, exist_ok=True)
        stem = name or ("planted" if planted else "fixed")
        ledger, catalogue = folder / f"{stem}-ledger.csv", folder / f"{stem}-materials.csv"
        written = Written(ledger, catalogue, 0, 0)
        with (
            ledger.open("w", encoding=encoding, newline="") as lh,
            catalogue.open("w", encoding=encoding, newline="") as mh,
        ):
            lw, mw = csv.writer(lh), csv.writer(mh)
            lw.writerow(HEADERS)
            mw.writerow(MATERIAL_HEADERS)
            for index in rows or range(self.size):
                row, materials = self.row(index, planted=planted)
                lw.writerow([row[h] for h in HEADERS])
                written.ledger_rows += 1
                ledger_row = written.ledger_rows + 1  # the header is row 1
                kind = self.plants.get(index) if planted else None
                for position, material in enumerate(materials):
                    mw.writerow(material)
                    written.material_rows += 1
                    if kind and KINDS[kind][0] == "材料目录" and position == 0:
                        written.expected.add(("材料目录", written.material_rows + 1, KINDS[kind][1]))
                if kind and KINDS[kind][0] == "档案台账":
                    written.expected.add(("档案台账", ledger_row, KINDS[kind][1]))
        return written


def spread(kinds: list[str], size: int, *, first: int = 40, step: int = 197) -> dict[int, str]:
    """Planted rows far apart (each 5 rows after a clean one), placed rows for the kinds about places."""
    plants: dict[int, str] = {}
    index = first
    for kind in kinds:
        while index % 10 in (4, 9):  # the row and the one 5 before it are shelved
            index += 1
        plants[index] = kind
        index += step
    assert max(plants) < size
    return plants


def fifty_errors() -> list[str]:
    kinds = list(KINDS)
    return (kinds * 2)[:50]


def iter_rows(path: Path, encoding: str = "utf-8") -> Iterator[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        yield from csv.reader(handle)
