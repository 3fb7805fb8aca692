import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangan.agencies.models import Agency
from dangan.agencies.services import administrator_create
from dangan.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an administrator for an agency. The password is asked for, or read from DANGAN_ADMIN_PASSWORD."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--agency", required=True, help="agency code, e.g. 370600")
        parser.add_argument("--name", required=True, help="the administrator's full name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = Agency.objects.get(code=options["agency"])
        except Agency.DoesNotExist:
            raise CommandError(f"机构代码不存在：{options['agency']}（先运行 load_agencies）") from None
        password = os.environ.get("DANGAN_ADMIN_PASSWORD") or getpass.getpass("密码：")
        try:
            staff = administrator_create(
                username=options["username"], password=password, full_name=options["name"], agency=agency
            )
        except ApplicationError as exc:
            details = "；".join(m for msgs in exc.fields.values() for m in msgs)
            raise CommandError(f"{exc.message}：{details}" if details else exc.message) from None
        self.stdout.write(f"已创建系统管理员 {staff.user.get_username()}（{agency.name}）。")
