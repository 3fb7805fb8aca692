"""Per-request facts (address, channel, request id) that the audit log records."""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    channel: str


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("dangan_request", default=None)

CHANNEL_CONSOLE = "console"
CHANNEL_API = "api"
CHANNEL_PORTAL = "portal"
CHANNEL_SYSTEM = "system"


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=uuid.uuid4().hex, ip=None, channel=CHANNEL_SYSTEM)
    return ctx


def activate(ctx: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def deactivate(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
