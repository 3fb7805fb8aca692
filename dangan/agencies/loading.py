"""Load the agency hierarchy from its data file (idempotent: existing codes are updated)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from dangan.agencies.models import Agency, ServiceBranch
from dangan.core.codetables import table

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "agencies.json"


def load_agencies(path: Path = DEFAULT_FILE) -> int:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    regions = table("regions")
    with transaction.atomic():
        by_code: dict[str, Agency] = {a.code: a for a in Agency.objects.all()}
        for row in data["agencies"]:
            if row["region_code"] not in regions:
                raise ValueError(f"agency {row['code']}: unknown region {row['region_code']}")
            parent = by_code[row["parent"]] if row.get("parent") else None
            agency, _created = Agency.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "short_name": row["short_name"],
                    "level": row["level"],
                    "region_code": row["region_code"],
                    "statistical_code": row.get("statistical_code", ""),
                    "parent": parent,
                    "path": "",
                    "holds_dossiers": row.get("holds_dossiers", True),
                    "address": row.get("address", ""),
                    "postcode": row.get("postcode", ""),
                    "phone": row.get("phone", ""),
                },
            )
            agency.path = (parent.path if parent else "/") + f"{agency.pk}/"
            agency.save(update_fields=["path"])
            by_code[agency.code] = agency
        for row in data["agencies"]:
            if row.get("default_custodian"):
                agency = by_code[row["code"]]
                agency.default_custodian = by_code[row["default_custodian"]]
                agency.save(update_fields=["default_custodian"])
        for row in data.get("branches", []):
            ServiceBranch.objects.update_or_create(
                code=row["code"],
                defaults={"agency": by_code[row["agency"]], "name": row["name"], "address": row.get("address", "")},
            )
    return len(data["agencies"])
