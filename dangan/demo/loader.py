"""Demo data: agencies, one account per role for the city center and 芝罘区, synthetic dossiers.

Demo accounts exist only here; a production install has no default password anywhere.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from dangan.agencies.loading import load_agencies
from dangan.agencies.models import Agency, Role, Staff, StaffRole
from dangan.audit.services import record
from dangan.demo.synthetic import Synth
from dangan.dossiers.models import Dossier, Person

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
        received = datetime.date(2015, 1, 1) + datetime.timedelta(days=synth.random.randrange(0, 4000))
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
    return len(dossiers)


def load_demo(size: int = 300) -> list[DemoAccount]:
    with transaction.atomic():
        load_agencies()
        accounts = create_demo_staff()
        created = create_demo_dossiers(size)
        record(actor=None, action="demo.loaded", subject=("demo", "data"), after={"dossiers": created})
    return accounts
