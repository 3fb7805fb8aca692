"""National code tables shipped as CSV files in `data/code_tables/` (see its README for sources)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "code_tables"

# table name → the standard it follows
STANDARDS: dict[str, str] = {
    "sex": "GB/T 2261.1-2003",
    "marital_status": "GB/T 2261.2-2003",
    "ethnic_group": "GB 3304-1991",
    "political_status": "GB/T 4762-1984",
    "education": "GB/T 4658-2006",
    "degree": "GB/T 6864-2003",
    "regions": "GB/T 2260",
    "employer_nature": "烟就人〔2021〕12号 附件1",
    "industry_section": "GB/T 4754-2017 国民经济行业分类（门类）",
    "enterprise_size": "国家统计局《统计上大中小微型企业划分办法（2017）》",
    "person_category": "人社部发〔2021〕112号",
    "material_class": "《干部人事档案工作条例》（2018）档案内容分类",
}


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    extra: dict[str, str]


@dataclass(frozen=True)
class CodeTable:
    name: str
    standard: str
    codes: tuple[Code, ...]

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    @property
    def by_code(self) -> dict[str, Code]:
        return _index(self.name)

    def label(self, code: str | None) -> str:
        if not code:
            return ""
        item = self.by_code.get(code)
        return item.name if item else code

    def choices(self) -> list[tuple[str, str]]:
        return [(c.code, c.name) for c in self.codes]

    def leaf_choices(self) -> list[tuple[str, str]]:
        """Codes that have no children (for tables with a `parent` column, e.g. material classes)."""
        parents = {c.extra.get("parent") for c in self.codes}
        return [(c.code, f"{c.code} {c.name}") for c in self.codes if c.code not in parents]


@cache
def table(name: str) -> CodeTable:
    if name not in STANDARDS:
        raise KeyError(f"unknown code table {name!r}")
    with (DATA_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = tuple(
        Code(code=row["code"], name=row["name"], extra={k: v for k, v in row.items() if k not in {"code", "name"}})
        for row in rows
    )
    return CodeTable(name=name, standard=STANDARDS[name], codes=codes)


@cache
def _index(name: str) -> dict[str, Code]:
    return {c.code: c for c in table(name).codes}


def region_name(code: str) -> str:
    """Full name of a GB/T 2260 region, e.g. 山东省烟台市芝罘区."""
    regions = table("regions").by_code
    parts: list[str] = []
    current = regions.get(code)
    while current is not None:
        if current.name != "市辖区":
            parts.append(current.name)
        parent = current.extra.get("parent") or ""
        current = regions.get(parent) if parent else None
    return "".join(reversed(parts)) or code


def regions_under(parent: str) -> list[Code]:
    return [c for c in table("regions").codes if c.extra.get("parent") == parent]
