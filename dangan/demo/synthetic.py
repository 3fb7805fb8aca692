"""A deterministic generator of realistic synthetic people and employers (never real data)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from stdnum.cn import ric, uscc

from dangan.core.validators import organization_code_check_digit

SURNAMES = "".join(
    (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈",
        "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
    )
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳晨建国志文博轩泽睿"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧莹琳洁颖倩晶丹萍红梅蕾薇悦欣怡佳雨菲瑶璐"
# Yantai counties (GB/T 2260) weighted roughly by population.
YANTAI_COUNTIES = (
    ("370602", 14),
    ("370611", 9),
    ("370612", 7),
    ("370613", 8),
    ("370614", 7),
    ("370681", 9),
    ("370682", 8),
    ("370683", 10),
    ("370685", 7),
    ("370686", 6),
    ("370687", 7),
)
SCHOOLS = ("烟台大学", "鲁东大学", "山东工商学院", "滨州医学院", "烟台职业学院", "山东大学", "中国海洋大学", "青岛大学")
INDUSTRY_WORDS = ("海洋", "智能", "港航", "新材料", "食品", "果业", "机械", "信息", "医药", "葡萄酒", "物流", "电子")
COMPANY_SUFFIX = ("科技有限公司", "贸易有限公司", "股份有限公司", "实业有限公司", "信息技术有限公司")
# GB/T 4754-2017 section (门类) of a company by the first word of its name, unless its suffix says otherwise.
WORD_SECTIONS = {
    "海洋": "A", "智能": "C", "港航": "G", "新材料": "C", "食品": "C", "果业": "A", "机械": "C", "信息": "I",
    "医药": "C", "葡萄酒": "C", "物流": "G", "电子": "C",
}  # fmt: skip
SUFFIX_SECTIONS = {"贸易有限公司": "F", "信息技术有限公司": "I"}
# Enterprise sizes (《统计上大中小微型企业划分办法（2017）》 codes 1–4), weighted roughly as employers that entrust
# dossiers collectively are: mostly small and micro.
SIZES = ("1", "2", "3", "4")
SIZE_WEIGHTS = (4, 16, 45, 35)
ASSOCIATION_SHARE = 0.1  # 社团法人 (行业协会), industry S, size 9 不适用


@dataclass(frozen=True)
class SynthPerson:
    name: str
    sex: str  # GB/T 2261.1
    birth_date: datetime.date
    id_number: str
    ethnic_group: str
    household_region: str
    phone: str


@dataclass(frozen=True)
class SynthEmployer:
    name: str
    credit_code: str
    region: str
    nature: str = "1"  # annex 1 单位性质: 1 公司法人, 2 社团法人
    industry: str = "C"  # GB/T 4754-2017 section
    size: str = "3"  # 1 大型 … 4 微型, 9 不适用


class Synth:
    def __init__(self, seed: int = 2021) -> None:
        self.random = random.Random(seed)
        # The employers' kind and size come from a stream of their own, so that adding them left every
        # person and name drawn from `random` as it was.
        self._employer_random = random.Random(f"employer-{seed}")
        self._issued: set[str] = set()

    def region(self) -> str:
        codes, weights = zip(*YANTAI_COUNTIES, strict=True)
        return str(self.random.choices(codes, weights=weights)[0])

    def name(self, sex: str) -> str:
        given = GIVEN_MALE if sex == "1" else GIVEN_FEMALE
        length = self.random.choices((1, 2), weights=(35, 65))[0]
        return self.random.choice(SURNAMES) + "".join(self.random.choice(given) for _ in range(length))

    def id_number(self, region: str, birth: datetime.date, sex: str) -> str:
        while True:
            sequence = self.random.randrange(0, 1000)
            if (sequence % 2 == 1) != (sex == "1"):
                sequence = (sequence + 1) % 1000
            body = f"{region}{birth:%Y%m%d}{sequence:03d}"
            number = body + str(ric.calc_check_digit(body + "0"))
            if number not in self._issued:
                self._issued.add(number)
                return number

    def person(self, *, min_age: int = 18, max_age: int = 62, today: datetime.date | None = None) -> SynthPerson:
        today = today or datetime.date(2026, 11, 1)
        sex = self.random.choice(("1", "2"))
        age_days = self.random.randrange(min_age * 365 + 5, max_age * 365)
        birth = today - datetime.timedelta(days=age_days)
        region = self.region()
        ethnic = self.random.choices(("01", "03", "10", "02", "08"), weights=(970, 10, 8, 6, 6))[0]
        phone = "1" + self.random.choice("35789") + "".join(str(self.random.randrange(10)) for _ in range(9))
        return SynthPerson(
            name=self.name(sex),
            sex=sex,
            birth_date=birth,
            id_number=self.id_number(region, birth, sex),
            ethnic_group=ethnic,
            household_region=region,
            phone=phone,
        )

    def credit_code(self, region: str, kind: str = "91") -> str:
        """`kind`: registration authority and body type, 91 a company (market regulation), 51 an association."""
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        org_body = "".join(self.random.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        org = org_body + organization_code_check_digit(org_body)
        body = kind + region + org
        code = body + str(uscc.calc_check_digit(body))
        assert all(c in alphabet for c in code[8:])
        return code

    def employer(self) -> SynthEmployer:
        region = self.region()
        words = self.random.sample(INDUSTRY_WORDS, 2)
        suffix = self.random.choice(COMPANY_SUFFIX)
        if self._employer_random.random() < ASSOCIATION_SHARE:
            return SynthEmployer(
                name=f"烟台市{words[0]}行业协会", credit_code=self.credit_code(region, "51"), region=region,
                nature="2", industry="S", size="9",
            )  # fmt: skip
        return SynthEmployer(
            name="烟台" + "".join(words) + suffix, credit_code=self.credit_code(region), region=region, nature="1",
            industry=SUFFIX_SECTIONS.get(suffix, WORD_SECTIONS[words[0]]),
            size=self._employer_random.choices(SIZES, weights=SIZE_WEIGHTS)[0],
        )  # fmt: skip
