"""Identity checks at sign-up. Pluggable: settings.DANGAN_IDENTITY_VERIFIER names the class, so a provincial
single sign-on (or an SMS one-time code) replaces the built-in check without touching the portal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dangan.core.validators import validate_credit_code, validate_resident_id
from dangan.dossiers.models import Person


@dataclass(frozen=True)
class Verdict:
    ok: bool
    method: str
    reason: str = ""
    field: str = ""


class IdentityVerifier(Protocol):
    def verify_person(self, *, name: str, id_number: str, phone: str) -> Verdict: ...

    def verify_employer(self, *, name: str, credit_code: str, phone: str) -> Verdict: ...


class RecordMatchVerifier:
    """Built-in: the number must be valid, and when the platform keeps this person's record, the name and the
    phone number recorded in it must match. Replace it with the provincial single sign-on in production."""

    method = "record_match"

    def verify_person(self, *, name: str, id_number: str, phone: str) -> Verdict:
        try:
            number = validate_resident_id(id_number)
        except ValidationError as exc:
            return Verdict(False, self.method, exc.messages[0], "id_number")
        person = Person.objects.filter(id_number=number).first()
        if person is not None and (person.name != name.strip() or (person.phone and person.phone != phone)):
            return Verdict(False, self.method, _("姓名或手机号码与档案记载不一致，请到窗口核实"), "name")
        return Verdict(True, self.method)

    def verify_employer(self, *, name: str, credit_code: str, phone: str) -> Verdict:
        try:
            validate_credit_code(credit_code)
        except ValidationError as exc:
            return Verdict(False, self.method, exc.messages[0], "credit_code")
        return Verdict(True, self.method)


def verifier() -> IdentityVerifier:
    cls = import_string(getattr(settings, "DANGAN_IDENTITY_VERIFIER", "dangan.portal.identity.RecordMatchVerifier"))
    instance: IdentityVerifier = cls()
    return instance
