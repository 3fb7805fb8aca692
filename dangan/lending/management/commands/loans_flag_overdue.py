"""Daily: flag loans past their due date (R14). Idempotent within a day; run it from the scheduler."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangan.lending.services import loans_flag_overdue


class Command(BaseCommand):
    help = "标记逾期未还的借阅档案（每日运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None, help="按该日期判断（YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        flagged = loans_flag_overdue(today=options["date"])
        self.stdout.write(f"已标记逾期借阅 {flagged} 件")
