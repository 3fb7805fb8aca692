"""Reminders (R22, R25, R28): the daily command, the selectors behind the reminders page."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from dangan.agreements import services
from dangan.agreements.models import AgreementStatus
from dangan.agreements.selectors import agreements_expiring, reminders_for_agency

from .conftest import TODAY


@pytest.mark.rule("R25")
def test_r25_daily_command_lists_what_needs_doing_and_expires_unrenewed_agreements(
    clerk, make_employer, sign, make_dossier, agencies
):
    expiring = sign(make_employer(name="烟台食品贸易有限公司"), start=datetime.date(2023, 8, 1), years=3)
    lapsed = sign(make_employer(name="烟台果业实业有限公司"), start=datetime.date(2023, 7, 1), years=3)
    late = make_employer(name="烟台机械科技有限公司")
    services.employer_change_record(
        actor=clerk, employer_id=late.pk, field="address", after="烟台市芝罘区环山路9号",
        effective_on=datetime.date(2026, 3, 1), today=TODAY,
    )  # fmt: skip
    dissolved = make_employer(name="烟台电子信息技术有限公司")
    agreement = sign(dissolved, start=datetime.date(2025, 1, 1))
    services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=make_dossier("370602").pk, today=TODAY)
    services.employer_dissolve(actor=clerk, employer_id=dissolved.pk, kind="revoked", on=TODAY, today=TODAY)
    out = StringIO()
    call_command("agreements_remind", "--today", "2026-07-10", "--agency", "370602", stdout=out)
    text = out.getvalue()
    assert "即将期满：烟台食品贸易有限公司，2026-07-31 期满" in text
    assert "期满未续签：烟台果业实业有限公司，2026-06-30 期满" in text
    assert "逾期报告：烟台机械科技有限公司 地址" in text
    assert "已吊销：烟台电子信息技术有限公司（2026-07-10），1 份档案未办结" in text
    assert "未纳入协议的档案 1 份" in text
    lapsed.refresh_from_db()
    expiring.refresh_from_db()
    assert lapsed.status == AgreementStatus.EXPIRED
    assert expiring.status == AgreementStatus.IN_FORCE
    # run again: nothing is expired twice
    call_command("agreements_remind", "--today", "2026-07-10", stdout=StringIO())
    assert not reminders_for_agency(agencies["370602"], TODAY).lapsed


@pytest.mark.rule("R22")
def test_r22_a_pending_renewal_keeps_the_agreement_from_expiring(clerk, make_employer, sign):
    agreement = sign(make_employer(), start=datetime.date(2023, 7, 1), years=3)  # ends 2026-06-30
    services.employer_agreement_renewal_apply(
        actor=clerk, agreement_id=agreement.pk, years=1, today=datetime.date(2026, 6, 20)
    )
    assert not services.employer_agreement_expire(actor=None, agreement_id=agreement.pk, today=TODAY)
    assert list(agreements_expiring(clerk, datetime.date(2026, 6, 20))) == [agreement]


def test_command_refuses_an_unknown_agency(agencies):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("agreements_remind", "--agency", "999999", stdout=StringIO())
