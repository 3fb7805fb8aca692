from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangan.audit.services import verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 on any edited, removed or reordered entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"审计日志校验失败：{len(report.problems)} 处问题，共检查 {report.checked} 条")
        self.stdout.write(f"审计日志完整：共 {report.checked} 条，哈希链连续。")
