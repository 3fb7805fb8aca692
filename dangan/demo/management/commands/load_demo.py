from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangan.agencies.models import Role
from dangan.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load demo data (agencies, demo accounts, synthetic dossiers). Never run this in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=300, help="number of synthetic dossiers")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo(options["size"])
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for account in accounts:
            self.stdout.write(f"  {account.username:<22} {account.agency}  {Role(account.role).label}")
