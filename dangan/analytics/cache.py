"""Dashboard figures kept warm in the cache for a short time (a setting); the first view reads them from the
maintained counters (`stock`), which is what makes a cold dashboard fast.

The key names exactly what the figures were computed over (R43, R48): the set of agencies the scope reads, not
its top agency. A city supervisor (the city and its districts) and a city counter clerk (the city alone) share
a top agency but never a key, so neither is shown the other's figures or the other's people.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from dangan.analytics import figures, stock
from dangan.analytics.scope import Scope

VERSION = 2  # of the cached value's shape: 2 added the missing items to the worst records (R35)


def cache_key(scope: Scope, today: datetime.date) -> str:
    """One key per (agencies read, language, day): a stable digest of the sorted agency ids."""
    agencies = ",".join(str(pk) for pk in sorted(set(scope.agency_ids)))
    digest = hashlib.sha256(agencies.encode()).hexdigest()
    return f"analytics:v{VERSION}:{digest}:{translation.get_language() or ''}:{today.isoformat()}"


def cached_sections(scope: Scope, today: datetime.date) -> dict[str, figures.Table]:
    """Every section of the dashboard for this scope; the page, the JSON API and each Excel export read these."""
    key = cache_key(scope, today)
    sections: dict[str, figures.Table] | None = cache.get(key)
    if sections is None:
        sections = stock.all_sections(scope, today)
        cache.set(key, sections, getattr(settings, "DANGAN_ANALYTICS_CACHE_SECONDS", 300))
    return sections
