import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangan.agencies.models import Agency
from dangan.core.errors import ApplicationError
from dangan.migration.progress import TextBar
from dangan.migration.services import job_run, job_start_from_command, media_path

SYSTEM_USERNAME = "migration"


class Command(BaseCommand):
    help = (
        "Import a historical ledger (R36, R47): check every row, then — unless --dry-run — write it all in one "
        "transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the ledger: the platform's template (.xlsx) or a CSV file")
        parser.add_argument("--agency", required=True, help="code of the holding agency")
        parser.add_argument("--custodian", default=None, help="code of the agency that keeps the paper (R47)")
        parser.add_argument("--materials", type=Path, default=None, help="the catalogue, when the ledger is CSV")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--source", default="", help="default 档案来源 (e.g. the former sector agency)")
        parser.add_argument("--renumber", action="store_true", help="draw new numbers; old ones go to 档案来源")
        parser.add_argument(
            "--user", default=None, help="username recorded as the importer (default: a system account)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"没有代码为 {options['agency']} 的机构")
        custodian = agency
        if options["custodian"]:
            custodian = Agency.objects.filter(code=options["custodian"]).first()  # type: ignore[assignment]
            if custodian is None:
                raise CommandError(f"没有代码为 {options['custodian']} 的机构")
        elif agency.default_custodian is not None:
            custodian = agency.default_custodian
        try:
            job = job_start_from_command(
                actor=self._actor(options["user"]), agency=agency, custodian=custodian, ledger=options["path"],
                materials=options["materials"], dry_run=options["dry_run"], default_source=options["source"],
                renumber=options["renumber"],
            )  # fmt: skip
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        bar = TextBar(self.stdout)
        started = datetime.datetime.now()
        try:
            job = job_run(job.pk, watcher=bar)
        finally:
            bar.finish()
        seconds = (datetime.datetime.now() - started).total_seconds()
        self.stdout.write(
            f"{job.message}（台账 {job.ledger_rows:,} 行，材料 {job.material_rows:,} 行，用时 {seconds:.1f} 秒）"
        )
        if job.error_count:
            self.stdout.write(f"错误报告：{media_path(job.report_file)}")
            raise CommandError(f"发现 {job.error_count} 处错误，未导入任何数据")

    def _actor(self, username: str | None) -> Any:
        users = get_user_model()
        if username:
            user = users.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"没有用户 {username}")
            return user
        user, created = users.objects.get_or_create(username=SYSTEM_USERNAME, defaults={"is_active": False})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user
