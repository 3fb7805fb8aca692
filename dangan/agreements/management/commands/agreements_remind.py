import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dangan.agencies.models import Agency
from dangan.agreements.selectors import ended_with_open_roster_in, reminders_for_agency
from dangan.agreements.services import employer_agreement_expire, employer_agreement_release_roster


class Command(BaseCommand):
    help = (
        "Daily agreement reminders (R22, R25): agreements expiring within a month, changes reported late, "
        "deregistered or revoked employers whose dossiers are unsettled, held dossiers under no agreement; "
        "agreements past their term without renewal are marked expired, and the roster entries still open "
        "under an agreement no longer in force are closed (the employees are then under no agreement)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--agency", default="", help="只处理该机构（机构代码）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        agencies = Agency.objects.filter(is_active=True, holds_dossiers=True).order_by("code")
        if options["agency"]:
            agencies = agencies.filter(code=options["agency"])
            if not agencies.exists():
                raise CommandError(f"机构不存在：{options['agency']}")
        for agency in agencies:
            found = reminders_for_agency(agency, today)
            expired = sum(employer_agreement_expire(actor=None, agreement_id=a.pk, today=today) for a in found.lapsed)
            released = sum(
                employer_agreement_release_roster(actor=None, agreement_id=a.pk)
                for a in ended_with_open_roster_in([agency.pk])
            )
            if released:
                self.stdout.write(f"{agency.name}：已终止协议的名册人员 {released} 人转为未纳入协议")
            if not (
                found.expiring or found.lapsed or found.overdue_changes or found.dissolved or found.uncovered_count
            ):
                continue
            self.stdout.write(
                f"{agency.name}：即将期满 {len(found.expiring)} 份，期满未续签 {len(found.lapsed)} 份"
                f"（已标记期满终止 {expired} 份），逾期报告的变更 {len(found.overdue_changes)} 项，"
                f"注销（吊销）仍有档案未办结的单位 {len(found.dissolved)} 家，"
                f"未纳入协议的档案 {found.uncovered_count} 份"
            )
            for a in found.expiring:
                self.stdout.write(f"  即将期满：{a.employer.name}，{a.end_date:%Y-%m-%d} 期满，可申请续签")
            for a in found.lapsed:
                self.stdout.write(f"  期满未续签：{a.employer.name}，{a.end_date:%Y-%m-%d} 期满")
            for c in found.overdue_changes:
                self.stdout.write(
                    f"  逾期报告：{c.employer.name} {c.get_field_display()}，"
                    f"{c.effective_on:%Y-%m-%d} 变更，{c.reported_on:%Y-%m-%d} 报告"
                )
            for e in found.dissolved:
                self.stdout.write(
                    f"  {e.get_status_display()}：{e.name}（{e.dissolved_on:%Y-%m-%d}），{e.open_dossiers} 份档案未办结"  # type: ignore[attr-defined]
                )
