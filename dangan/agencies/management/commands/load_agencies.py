from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangan.agencies.loading import DEFAULT_FILE, load_agencies


class Command(BaseCommand):
    help = "Load or update the agency hierarchy from a JSON file (default: the Shandong/Yantai file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_agencies(options["file"])
        self.stdout.write(f"已载入 {count} 个机构。")
