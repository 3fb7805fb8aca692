"""`python -m dangan audit verify` and other manage.py commands in two words."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "audit" and args[1] == "verify":
        args = ["audit_verify", *args[2:]]
    execute_from_command_line(["dangan", *args])


if __name__ == "__main__":
    main()
