"""Shared pieces of the console pages: role gate, 404 for what is out of scope, form page rendering."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dangan.agreements.forms import ServiceErrorsForm
from dangan.agreements.policies import can_view_agreements
from dangan.core.errors import NotFound

T = TypeVar("T")


def require_reader(request: HttpRequest) -> None:
    if not can_view_agreements(request.user):
        raise DjangoPermissionDenied(_("您的岗位无权查看委托存档协议"))


def deny_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise DjangoPermissionDenied(message)


def or_404(load: Callable[..., T], *args: Any) -> T:
    try:
        return load(*args)
    except NotFound as exc:
        raise Http404(exc.message) from None


def form_page(
    request: HttpRequest,
    form: ServiceErrorsForm,
    *,
    title: str,
    intro: str = "",
    submit: str,
    back: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "intro": intro, "submit": submit, "back": back, **(extra or {})}
    return render(request, "agreements/form.html", context)
