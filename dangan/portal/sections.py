"""Sections of the portal home page about entrustment: a person's agreement, an employer's agreement and roster."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from dangan.agreements.models import AgreementStatus, EmployerAgreement, PersonalAgreement, RosterEntry, RosterStatus
from dangan.portal.models import AccountKind, PortalAccount


def agreement_section(account: PortalAccount) -> SafeString | None:
    context: dict[str, Any]
    if account.kind == AccountKind.PERSON:
        personal = (
            PersonalAgreement.objects.select_related("agency")
            .filter(dossier__person__id_number=account.id_number, status=AgreementStatus.IN_FORCE)
            .first()
        )
        roster = (
            RosterEntry.objects.select_related("agreement__employer")
            .filter(dossier__person__id_number=account.id_number, status=RosterStatus.ACTIVE)
            .first()
        )
        context = {"personal": personal, "roster": roster}
    else:
        agreements = list(
            EmployerAgreement.objects.select_related("agency")
            .filter(credit_code=account.credit_code, status=AgreementStatus.IN_FORCE)
            .order_by("-start_date")
        )
        employees = list(
            RosterEntry.objects.select_related("dossier__person")
            .filter(agreement__in=agreements, status=RosterStatus.ACTIVE)
            .order_by("dossier__person__name")[:200]
        )
        context = {"agreements": agreements, "employees": employees}
    return mark_safe(render_to_string("portal/_agreement.html", {"account": account, **context}))  # noqa: S308
