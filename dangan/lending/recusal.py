"""Recusal (回避, R13): no one opens, consults, borrows or handles their own dossier or a relative's.

Two questions, each answered with the reason in Chinese (or None):
- `recusal_conflict(user, dossier)` for staff: the person is the user (by `Staff.id_number`), a relative the user
  declared, a family member listed in the user's own dossier, or lists the user as a family member.
- `reader_conflict(id_number, dossier)` for the people an organisation sends to read or to collect a loan.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from dangan.agencies.models import Staff
from dangan.agencies.policies import staff_of
from dangan.core.validators import normalize_resident_id, resident_id_from_legacy
from dangan.dossiers.models import Dossier, FamilyMember
from dangan.lending.models import Relative

_LEGACY = re.compile(r"^\d{15}$")


def normalise_id(value: str) -> str:
    """Upper-case without spaces; a 15-digit first-generation number becomes its 18-digit form."""
    number = normalize_resident_id(value)
    return resident_id_from_legacy(number) if _LEGACY.match(number) else number


def _family_link(first: str, second: str, dossier: Dossier) -> FamilyMember | None:
    """A family row linking the two numbers either way: `second` in `first`'s dossier, or `first` in the dossier's."""
    return (
        FamilyMember.objects.filter(
            Q(person__id_number=first, id_number__in=(second, second.lower()))
            | Q(person_id=dossier.person_id, id_number__in=(first, first.lower()))
        )
        .select_related("person")
        .first()
    )


def _declared(person_id_number: str, *, staff: Staff | None = None, staff_id_number: str = "") -> Relative | None:
    qs = Relative.objects.filter(id_number=person_id_number, withdrawn_at__isnull=True)
    if staff is not None:
        return qs.filter(staff=staff).first()
    if staff_id_number:
        return qs.filter(staff__id_number__in=(staff_id_number, staff_id_number.lower())).first()
    return None


def recusal_conflict(user: Any, dossier: Dossier) -> str | None:
    """Why this staff member must recuse from this dossier, or None (also the dossiers app's read guard)."""
    staff = staff_of(user)
    if staff is None:
        return None
    person_id = normalise_id(dossier.person.id_number)
    own = normalise_id(staff.id_number) if staff.id_number else ""
    if own and own == person_id:
        return _("这是您本人的档案，按回避规定不得查阅、借阅或经办（R13）")
    relative = _declared(person_id, staff=staff)
    if relative is not None:
        return _("该档案是您申报的回避亲属（%(r)s：%(n)s）的档案，按回避规定不得查阅、借阅或经办（R13）") % {
            "r": relative.get_relation_display(),
            "n": relative.name,
        }
    if own:
        link = _family_link(own, person_id, dossier)
        if link is not None:
            return _("该人员与您有亲属关系（%(r)s，据档案登记的家庭成员），按回避规定不得查阅、借阅或经办（R13）") % {
                "r": link.relation
            }
    return None


def reader_conflict(id_number: str, dossier: Dossier) -> str | None:
    """Why this reader (or collector of a loan) may not see this dossier, or None: checked by ID number."""
    reader = normalise_id(id_number)
    if not reader:
        return None
    person_id = normalise_id(dossier.person.id_number)
    if reader == person_id:
        return _("查阅人即档案本人，任何人不得查阅或借阅本人的档案（R13）")
    link = _family_link(reader, person_id, dossier)
    if link is not None:
        return _("查阅人与档案本人有亲属关系（%(r)s），不得查阅或借阅其亲属的档案（R13）") % {"r": link.relation}
    relative = _declared(person_id, staff_id_number=reader)
    if relative is not None:
        return _("查阅人已申报与档案本人为亲属（%(r)s），不得查阅或借阅其亲属的档案（R13）") % {
            "r": relative.get_relation_display()
        }
    return None
