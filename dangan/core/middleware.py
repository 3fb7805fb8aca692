from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dangan.core import context


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded header is trusted only when a proxy sets REMOTE_ADDR itself.
    return request.META.get("REMOTE_ADDR") or None


def channel_of(request: HttpRequest) -> str:
    path = request.path
    if path.startswith("/api/"):
        return context.CHANNEL_API
    if path.startswith("/portal/"):
        return context.CHANNEL_PORTAL
    return context.CHANNEL_CONSOLE


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.META.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex
        token = context.activate(
            context.RequestContext(request_id=request_id[:64], ip=client_ip(request), channel=channel_of(request))
        )
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = request_id[:64]
        return response
