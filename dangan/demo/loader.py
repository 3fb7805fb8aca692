"""Demo data: agencies, one account per role for the city center and 芝罘区, synthetic dossiers.

Demo accounts exist only here; a production install has no default password anywhere.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dangan.agencies.loading import load_agencies
from dangan.agencies.models import Agency, Role, Staff, StaffRole
from dangan.agreements import catalogue
from dangan.agreements.services import employer_agreement_sign, employer_register, roster_join
from dangan.agreements.terms import add_years
from dangan.audit.services import record
from dangan.core.codetables import region_name
from dangan.demo.synthetic import SCHOOLS, Synth
from dangan.dossiers import changes
from dangan.dossiers.models import Dossier, EducationRecord, Person, TitleRecord
from dangan.dossiers.services import IntakeInput, MissingMaterial, dossier_receive
from dangan.storage.checklist import checklist
from dangan.storage.models import Room
from dangan.storage.selectors import suggest_location
from dangan.storage.services import dossier_shelve, locations_create, room_create
from dangan.transfers.services import transfer_apply, transfer_approve

DEMO_PASSWORD = "Dangan-demo-2026"

ROLE_SLUGS = {
    Role.COUNTER_CLERK: "clerk",
    Role.ONLINE_OFFICER: "online",
    Role.ARCHIVE_KEEPER: "keeper",
    Role.APPROVER: "approver",
    Role.DATA_CLERK: "data",
    Role.SUPERVISOR: "supervisor",
    Role.ADMINISTRATOR: "admin",
}
DEMO_AGENCIES = (("city", "370600"), ("zhifu", "370602"))
SURNAMES_FOR_STAFF = "孙李周吴郑王冯陈褚卫蒋沈韩杨"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    agency: str
    role: str


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount(f"{prefix}_{slug}", code, role)
        for prefix, code in DEMO_AGENCIES
        for role, slug in ROLE_SLUGS.items()
    ]
    accounts.append(DemoAccount("province_supervisor", "370000", Role.SUPERVISOR))
    return accounts


def create_demo_staff(password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    user_model = get_user_model()
    accounts = demo_accounts()
    agencies = {a.code: a for a in Agency.objects.all()}
    hashed = None
    for index, account in enumerate(accounts):
        if user_model.objects.filter(username=account.username).exists():
            continue
        user = user_model(username=account.username)
        if hashed is None:
            user.set_password(password)
            hashed = user.password
        user.password = hashed
        user.save()
        role_label = Role(account.role).label
        name = SURNAMES_FOR_STAFF[index % len(SURNAMES_FOR_STAFF)] + str(role_label)[:2] + "（演示）"
        staff = Staff.objects.create(user=user, agency=agencies[account.agency], full_name=name)
        StaffRole.objects.create(staff=staff, role=account.role)
    return accounts


def create_demo_dossiers(size: int, seed: int = 2021) -> int:
    """`size` persons with dossiers spread over the district agencies, by bulk insert."""
    synth = Synth(seed)
    holders = list(Agency.objects.filter(level__in=["city", "district"], holds_dossiers=True, code__startswith="3706"))
    holders.sort(key=lambda a: a.code)
    start = Person.objects.count()
    persons: list[Person] = []
    for _ in range(size):
        p = synth.person()
        persons.append(
            Person(
                id_number=p.id_number,
                name=p.name,
                sex=p.sex,
                birth_date=p.birth_date,
                ethnic_group=p.ethnic_group,
                household_region=p.household_region,
                phone=p.phone,
            )
        )
    existing = set(
        Person.objects.filter(id_number__in=[p.id_number for p in persons]).values_list("id_number", flat=True)
    )
    persons = [p for p in persons if p.id_number not in existing]
    Person.objects.bulk_create(persons, batch_size=1000)
    saved = Person.objects.filter(id_number__in=[p.id_number for p in persons]).order_by("pk")
    counters: dict[int, int] = {}
    dossiers: list[Dossier] = []
    for index, person in enumerate(saved):
        holder = holders[(start + index) % len(holders)]
        counters[holder.pk] = counters.get(holder.pk, Dossier.objects.filter(holding_agency=holder).count()) + 1
        received = datetime.date(2016, 1, 1) + datetime.timedelta(days=synth.random.randrange(0, 3950))
        dossiers.append(
            Dossier(
                person=person,
                number=f"{holder.code[-4:]}{counters[holder.pk]:06d}",
                holding_agency=holder,
                custodian_id=holder.default_custodian_id or holder.pk,
                received_on=received,
                barcode=f"DA{holder.code}{counters[holder.pk]:07d}",
            )
        )
    Dossier.objects.bulk_create(dossiers, batch_size=1000)
    _bulk_histories(synth, list(saved))
    changes.dossiers_written(d.pk for d in dossiers)  # bulk_create sends no signals: the counters follow here
    return len(dossiers)


MAJORS = ("计算机科学与技术", "会计学", "机械设计制造及其自动化", "汉语言文学", "市场营销")
TITLE_NAMES = {"junior": "助理工程师", "intermediate": "工程师", "associate_senior": "高级工程师"}


def _bulk_histories(synth: Synth, persons: list[Person]) -> None:
    educations, titles = [], []
    for person in persons:
        if synth.random.random() < 0.85:
            code = synth.random.choices(("21", "31", "14", "41", "61"), weights=(45, 30, 8, 10, 7))[0]
            school = synth.random.choice(SCHOOLS)
            educations.append(
                EducationRecord(
                    person=person, education=code, degree="4" if code == "21" else "", school=school,
                    major=synth.random.choice(MAJORS),
                    graduated_on=add_years(person.birth_date, 22), is_highest=True,
                )
            )  # fmt: skip
        if synth.random.random() < 0.25:
            level = synth.random.choices(("junior", "intermediate", "associate_senior"), weights=(55, 35, 10))[0]
            titles.append(TitleRecord(person=person, title=TITLE_NAMES[level], level=level))
    EducationRecord.objects.bulk_create(educations, batch_size=1000)
    TitleRecord.objects.bulk_create(titles, batch_size=1000)


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def create_lived_in_work(synth: Synth) -> None:
    """A few real operations through the services, so the demo looks like a working agency."""
    if Room.objects.exists():
        return
    for prefix in ("city", "zhifu"):
        admin, keeper = _user(f"{prefix}_admin"), _user(f"{prefix}_keeper")
        store = room_create(actor=admin, name="一号库房", kind="storeroom", protections=checklist().keys)
        room_create(actor=admin, name="阅档室", kind="reading_room")
        room_create(actor=admin, name="档案管理办公室", kind="office")
        locations_create(actor=keeper, room_id=store.pk, cabinet=1, tiers=5, positions=20)
        locations_create(actor=keeper, room_id=store.pk, cabinet=2, tiers=5, positions=20)
        agency = keeper.staff.agency
        for dossier in (
            Dossier.objects.filter(custodian=agency).select_related("holding_agency").order_by("number")[:40]
        ):
            place = suggest_location(dossier)
            if place is not None:
                dossier_shelve(actor=keeper, dossier_id=dossier.pk, location_id=place.pk, reason="演示数据上架")
    clerk = _user("zhifu_clerk")
    today = timezone.localdate()
    for _ in range(3):
        p = synth.person(min_age=22, max_age=26)
        dossier_receive(
            actor=clerk,
            today=today,
            data=IntakeInput(
                person={
                    "id_number": p.id_number, "name": p.name, "ethnic_group": p.ethnic_group,
                    "native_place": "山东烟台", "household_region": p.household_region, "political_status": "13",
                    "person_category": "3", "phone": p.phone,
                },
                source_kind="school", source_name="鲁东大学", delivery="confidential_courier", received_on=today,
                entrustment_type="personal",
                education={
                    "education": "21", "degree": "", "school": "鲁东大学", "major": "汉语言文学", "graduated_on": None,
                },
                missing=[MissingMaterial("4-1", "高校毕业生登记表", "可能影响学历认定")],
                party_name="本人", acknowledged=True, commitment_deadline=today + datetime.timedelta(days=30),
            ),
        )  # fmt: skip
    moving = Dossier.objects.filter(holding_agency__code="370602", status="in_custody").order_by("-number").first()
    if moving is not None:
        transfer = transfer_apply(
            actor=clerk, person_id_number=moving.person.id_number, requester_kind="person",
            applicant_name=moving.person.name, to_agency=Agency.objects.get(code="370683"), reason="工作调动",
            documents=["id_card", "request_letter"],
        )  # fmt: skip
        transfer_approve(actor=_user("zhifu_approver"), transfer_id=transfer.pk)
    create_demo_employers(synth)


def create_demo_employers(synth: Synth, per_agency: int = 5) -> None:
    """Employers registered with 芝罘区 and with the city center, each with its industry and size, a collective
    agreement in force and some of the agency's dossiers on its roster: through the services, audited."""
    today = timezone.localdate()
    for prefix, level in (("zhifu", "district"), ("city", "city")):
        clerk = _user(f"{prefix}_clerk")
        agency = clerk.staff.agency
        free = list(
            Dossier.objects.filter(holding_agency=agency, status="in_custody", received_on__lt=today)
            .exclude(transfers__isnull=False)
            .exclude(roster_entries__status__in=["active", "awaiting_transfer"])
            .order_by("number")
            .values_list("pk", flat=True)
        )
        for _ in range(per_agency):
            synthetic = synth.employer()
            county = agency.region_code if level == "district" else synthetic.region
            company = synthetic.nature == "1"
            employer = employer_register(
                actor=clerk, today=today,
                data={
                    "name": synthetic.name, "nature": synthetic.nature, "credit_code": synthetic.credit_code,
                    "legal_representative": synth.name(synth.random.choice(("1", "2"))),
                    "founded_on": datetime.date(2000 + synth.random.randrange(0, 22), synth.random.randrange(1, 13), 1),
                    "registered_capital": str(synth.random.choice((50, 100, 300, 500, 1000, 5000))) if company else "",
                    "address": f"{region_name(county)}{synth.random.choice(('南大街', '北马路', '长江路', '港城大街'))}"
                               f"{synth.random.randrange(1, 300)}号",
                    "postcode": "264000", "phone": f"0535-66{synth.random.randrange(10000, 99999)}",
                    "contact": synth.name(synth.random.choice(("1", "2"))), "contact_post": "人力资源部经理",
                    "remarks": "", "industry": synthetic.industry, "size": synthetic.size,
                    "registration_level": level,
                    "registration_authority": "market_regulation" if company else "civil_affairs",
                    "county_code": county,
                },
            )  # fmt: skip
            agreement = employer_agreement_sign(
                actor=clerk, employer_id=employer.pk, term_years=3,
                start_date=today - datetime.timedelta(days=synth.random.randrange(30, 700)),
                services=catalogue.codes(catalogue.EMPLOYER), hr_contact_name=employer.contact,
                hr_contact_post=employer.contact_post, hr_contact_phone=employer.phone, today=today,
            )  # fmt: skip
            staff_count = synth.random.randrange(1, 5)
            for dossier_id in free[:staff_count]:
                roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier_id, today=today)
            free = free[staff_count:]


def load_demo(size: int = 300) -> list[DemoAccount]:
    with transaction.atomic():
        load_agencies()
        accounts = create_demo_staff()
        created = create_demo_dossiers(size)
        create_lived_in_work(Synth(seed=99))
        record(actor=None, action="demo.loaded", subject=("demo", "data"), after={"dossiers": created})
    return accounts
