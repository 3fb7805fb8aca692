import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from dangan.migration.services import job_claim, job_run, jobs_fail_stale

logger = logging.getLogger(__name__)


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
            if not connection.in_atomic_block:  # (never true in production; a test wraps the command in one)
                close_old_connections()
            job_id = job_claim()  # a database that cannot be reached stops the worker
            if job_id is None:
                if options["once"]:
                    return
                time.sleep(options["sleep"])
                continue
            try:
                job = job_run(job_id)
            except Exception as exc:
                logger.exception("import job %s failed", job_id)
                self.stderr.write(f"任务 {job_id} 失败：{exc!r}")
            else:
                self.stdout.write(f"任务 {job.pk}：{job.message}")
