"""Dashboard figures kept warm in the cache for a short time (a setting); the first view reads them from the
maintained counters (`stock`), which is what makes a cold dashboard fast."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache

from dangan.analytics import figures, stock
from dangan.analytics.scope import Scope


def cached_sections(scope: Scope, today: datetime.date) -> dict[str, figures.Table]:
    key = f"analytics:{scope.root.pk}:{today.isoformat()}"
    sections: dict[str, figures.Table] | None = cache.get(key)
    if sections is None:
        sections = stock.all_sections(scope, today)
        cache.set(key, sections, getattr(settings, "DANGAN_ANALYTICS_CACHE_SECONDS", 300))
    return sections
