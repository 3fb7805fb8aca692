import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dangan.dossiers.services import gaps_follow_up


class Command(BaseCommand):
    help = "Daily follow-up of missing materials (R11): remind what is due soon or overdue, escalate long-overdue gaps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        run = gaps_follow_up(
            today=options["today"] or timezone.localdate(),
            remind_days_before=settings.DANGAN_GAP_REMIND_DAYS_BEFORE,
            escalate_after_days=settings.DANGAN_GAP_ESCALATE_AFTER_DAYS,
        )
        self.stdout.write(f"已提醒 {run.reminded} 项，逾期上报 {run.escalated} 项。")
