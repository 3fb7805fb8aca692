"""Which agencies a user's figures cover: their own, or everything below a supervisor (R48)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dangan.agencies.models import Agency
from dangan.agencies.selectors import agencies_visible_to
from dangan.core.errors import NotFound


@dataclass(frozen=True)
class Scope:
    root: Agency
    agency_ids: tuple[int, ...]

    @property
    def title(self) -> str:
        return self.root.name


def scope_for(user: Any, agency_code: str | None = None) -> Scope:
    visible = list(agencies_visible_to(user).order_by("path"))
    if not visible:
        raise NotFound("无权查看统计数据")
    root = visible[0]
    if agency_code:
        chosen = next((a for a in visible if a.code == agency_code), None)
        if chosen is None:
            raise NotFound("无权查看该机构的统计数据")
        root = chosen
    ids = tuple(a.pk for a in visible if a.path.startswith(root.path))
    return Scope(root=root, agency_ids=ids)
