"""The printed agreements in the layout of annexes 1 and 2: agreement text with its blanks filled,
services ticked, the registration form, and for employers the change form. Blank forms too."""

from __future__ import annotations

import datetime
from typing import Any

from dangan.agencies.models import Agency
from dangan.agreements import catalogue
from dangan.agreements.fields import EMPLOYER_FORM, PERSONAL_FORM, employer_form_rows
from dangan.agreements.models import Employer, EmployerAgreement, PersonalAgreement
from dangan.core.codetables import table
from dangan.core.pdf import render_pdf

CHANGE_ROWS = 3  # the printed change form has at least three lines
DEFAULT_CITY = "烟台市"


def _city(agency: Agency | None) -> str:
    if agency is None:
        return DEFAULT_CITY
    city = table("regions").by_code.get(agency.region_code[:4] + "00")
    return city.name if city is not None and city.name != "市辖区" else DEFAULT_CITY


def _ymd(day: datetime.date | None) -> tuple[str, str, str]:
    return (str(day.year), str(day.month), str(day.day)) if day else ("", "", "")


def _supplement(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [*lines, "", ""][: max(2, len(lines))]


def _natures(selected: str) -> list[tuple[str, str, bool]]:
    return [(c.code, c.name, c.code == selected) for c in table("employer_nature").codes]


def employer_context(agreement: EmployerAgreement | None, employer: Employer | None = None) -> dict[str, Any]:
    employer = agreement.employer if agreement is not None else employer
    agency = agreement.agency if agreement is not None else (employer.agency if employer else None)
    selected = list(agreement.services) if agreement is not None else []
    changes = list(employer.changes.select_related("recorded_by").order_by("pk")) if employer is not None else []
    change_rows = [
        {
            "no": index,
            "before": f"{c.get_field_display()}：{c.before}",
            "after": c.after,
            "date": _ymd(c.reported_on),
        }
        for index, c in enumerate(changes, start=1)
    ]
    change_rows += [
        {"no": index, "before": "", "after": "", "date": ("", "", "")}
        for index in range(len(change_rows) + 1, CHANGE_ROWS + 1)
    ]
    values = (
        [value for _label, value in employer_form_rows(employer)] if employer is not None else [""] * len(EMPLOYER_FORM)
    )
    return {
        "city": _city(agency),
        "party_a": agency.name if agency is not None and agreement is not None else "",
        "party_b": employer.name if employer is not None and agreement is not None else "",
        "agreement": agreement,
        "years": str(agreement.term_years) if agreement is not None else "",
        "start": _ymd(agreement.start_date if agreement else None),
        "end": _ymd(agreement.end_date if agreement else None),
        "service_numbers": catalogue.numbers(catalogue.EMPLOYER, selected) if agreement is not None else "",
        "services": catalogue.rows(catalogue.EMPLOYER, selected),
        "supplement": _supplement(agreement.supplement if agreement else ""),
        "signed": _ymd(agreement.signed_at.date() if agreement else None),
        "employer": employer,
        "registration_no": employer.registration_no if employer is not None else "",
        "form": {name: value for (name, _label), value in zip(EMPLOYER_FORM, values, strict=True)},
        "natures": _natures(employer.nature if employer is not None else ""),
        "change_rows": change_rows,
    }


def personal_context(agreement: PersonalAgreement | None) -> dict[str, Any]:
    selected = list(agreement.services) if agreement is not None else []
    form = agreement.form if agreement is not None else {}
    return {
        "city": _city(agreement.agency if agreement else None),
        "party_a": agreement.agency.name if agreement is not None else "",
        "party_b": form.get("name", ""),
        "id_number": form.get("id_number", ""),
        "agreement": agreement,
        "start": _ymd(agreement.start_date if agreement else None),
        "service_numbers": catalogue.numbers(catalogue.PERSONAL, selected) if agreement is not None else "",
        "services": catalogue.rows(catalogue.PERSONAL, selected),
        "signed": _ymd(agreement.signed_at.date() if agreement else None),
        "handler": _handler(agreement),
        "form": {key: str(form.get(key, "") or "") for key, _label in PERSONAL_FORM},
    }


def _handler(agreement: PersonalAgreement | None) -> str:
    if agreement is None:
        return ""
    staff = getattr(agreement.signed_by, "staff", None)
    return staff.full_name if staff is not None else agreement.signed_by.get_username()


def employer_agreement_pdf(agreement: EmployerAgreement | None, employer: Employer | None = None) -> bytes:
    return render_pdf("agreements/annex1_pdf.html", employer_context(agreement, employer))


def personal_agreement_pdf(agreement: PersonalAgreement | None) -> bytes:
    return render_pdf("agreements/annex2_pdf.html", personal_context(agreement))
