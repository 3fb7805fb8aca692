import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from dangan.migration.services import job_execute, jobs_fail_stale


class Command(BaseCommand):
    help = "Run queued migration jobs (SELECT … FOR UPDATE SKIP LOCKED: any number of workers side by side)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run what is queued now, then stop")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between looks at an empty queue")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = jobs_fail_stale()
        if failed:
            self.stdout.write(f"{failed} 个中断的任务已标记为失败")
        while True:
            close_old_connections()
            try:
                job = job_execute()
            except Exception as exc:  # noqa: BLE001  (the job is marked failed; the worker goes on)
                self.stderr.write(f"任务失败：{exc!r}")
                continue
            if job is not None:
                self.stdout.write(f"任务 {job.pk}：{job.message}")
                continue
            if options["once"]:
                return
            time.sleep(options["sleep"])
