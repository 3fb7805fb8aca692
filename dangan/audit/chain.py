"""Canonical form and hashing of audit entries (pure)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """The value as it will come back from a JSON column, so hashing is stable across databases."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def payload_of(event: Any) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "agency_id": event.agency_id,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "dossier_id": event.dossier_id,
        "channel": event.channel,
        "ip": event.ip,
        "request_id": event.request_id,
        "reason": event.reason,
        "before": event.before,
        "after": event.after,
    }


def compute_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\n" + blob).encode("utf-8")).hexdigest()
