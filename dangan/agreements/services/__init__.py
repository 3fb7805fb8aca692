"""The only code that writes employers, agreements, rosters, change records and notices."""

from dangan.agreements.services.agreements import (
    employer_agreement_end_for_breach,
    employer_agreement_expire,
    employer_agreement_release_roster,
    employer_agreement_renewal_apply,
    employer_agreement_renewal_decide,
    employer_agreement_sign,
)
from dangan.agreements.services.common import dossier_set_entrustment
from dangan.agreements.services.employers import employer_change_record, employer_dissolve, employer_register
from dangan.agreements.services.notices import notice_publish
from dangan.agreements.services.personal import (
    PersonalTerms,
    personal_agreement_end_for_breach,
    personal_agreement_end_on_transfer,
    personal_agreement_sign,
)
from dangan.agreements.services.roster import roster_departure_report, roster_join

__all__ = [
    "PersonalTerms",
    "dossier_set_entrustment",
    "employer_agreement_end_for_breach",
    "employer_agreement_expire",
    "employer_agreement_release_roster",
    "employer_agreement_renewal_apply",
    "employer_agreement_renewal_decide",
    "employer_agreement_sign",
    "employer_change_record",
    "employer_dissolve",
    "employer_register",
    "notice_publish",
    "personal_agreement_end_for_breach",
    "personal_agreement_end_on_transfer",
    "personal_agreement_sign",
    "roster_departure_report",
    "roster_join",
]
