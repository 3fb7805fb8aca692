"""Console pages: the materials section of a dossier page, entry form, appraisal, filing, catalogue."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangan.core.errors import ApplicationError, NotFound, PermissionDenied
from dangan.dossiers.models import Dossier
from dangan.materials import catalogue, policies, selectors, services
from dangan.materials.forms import AppraiseForm, MaterialForm
from dangan.materials.workflow import ReturnReason


class _Recused(Exception):
    """A refusal for recusal (R13), answered with a page that gives the reason rather than the bare 403 page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _raise_http(exc: ApplicationError) -> None:
    """Missing and out of scope are 404, a wrong role or a recusal is 403; other errors are shown on the page."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from None
    if isinstance(exc, PermissionDenied):
        if exc.code == selectors.RECUSAL:
            raise _Recused(exc.message) from None
        raise HttpForbidden(exc.message) from None


_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def _shows_recusal(view: _View) -> _View:
    """A recusal refused inside the view is shown with its reason (403), like the dossier page's (R13)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except _Recused as refused:
            return render(request, "dossiers/refused.html", {"reason": refused.reason}, status=403)

    return cast(_View, wrapped)


def _section(request: HttpRequest, dossier: Dossier, *, error: str = "", notice: str = "") -> HttpResponse:
    user = request.user
    context = {
        "dossier": dossier,
        "materials": list(selectors.materials_of(dossier)),
        "may_receive": policies.can_receive(user, dossier),
        "may_appraise": policies.can_appraise(user, dossier),
        "may_file": policies.can_file(user, dossier),
        "reasons": ReturnReason.choices,
        "error": error,
        "notice": notice,
    }
    return render(request, "materials/_section.html", context)


@login_required
@require_GET
@_shows_recusal
def dossier_section(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The materials of one dossier by class, loaded into the dossier page by htmx."""
    try:
        dossier = services.dossier_materials_read(actor=request.user, dossier_id=dossier_id)
    except ApplicationError as exc:
        _raise_http(exc)
        raise
    return _section(request, dossier)


@login_required
@require_http_methods(["GET", "POST"])
@_shows_recusal
def material_new(request: HttpRequest, dossier_id: int) -> HttpResponse:
    try:
        dossier = selectors.dossier_to_receive_into(request.user, dossier_id)
    except ApplicationError as exc:
        _raise_http(exc)
        raise
    form = MaterialForm(
        request.POST or None,
        gaps=selectors.unclosed_gaps(dossier),
        initial={"received_on": timezone.localdate(), "copies": 1, "volume": 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_receive(
                actor=request.user, dossier_id=dossier.pk, data=form.to_input(), gap_id=form.cleaned_data["gap"]
            )
        except ApplicationError as exc:
            _raise_http(exc)
            form.add_service_error(exc)
        else:
            messages.success(request, _("已登记材料：%(t)s") % {"t": material.title})
            if "another" in request.POST:
                return HttpResponseRedirect(reverse("materials:new", args=[dossier.pk]))
            return HttpResponseRedirect(reverse("dossiers:detail", args=[dossier.pk]))
    return render(request, "materials/material_form.html", {"form": form, "dossier": dossier})


def _after_action(request: HttpRequest, material_id: int, *, error: str = "", notice: str = "") -> HttpResponse:
    """htmx gets the refreshed section; a plain form post goes back to the dossier page."""
    try:
        dossier = selectors.readable_dossier(request.user, selectors.dossier_id_of_material(material_id))
    except ApplicationError as exc:
        _raise_http(exc)
        raise
    if request.htmx:  # type: ignore[attr-defined]
        return _section(request, dossier, error=error, notice=notice)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return HttpResponseRedirect(reverse("dossiers:detail", args=[dossier.pk]))


@login_required
@require_POST
@_shows_recusal
def material_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    form = AppraiseForm(request.POST)
    if not form.is_valid():
        return _after_action(request, pk, error=_("请选择鉴别结论"))
    try:
        material = services.material_appraise(actor=request.user, material_id=pk, **form.cleaned_data)
    except ApplicationError as exc:
        _raise_http(exc)
        return _after_action(request, pk, error=exc.message)
    if material.return_reason:
        notice = _("材料“%(t)s”已退回：%(r)s") % {"t": material.title, "r": material.get_return_reason_display()}
    else:
        notice = _("材料“%(t)s”鉴别合格，待归档") % {"t": material.title}
    return _after_action(request, pk, notice=notice)


@login_required
@require_POST
@_shows_recusal
def material_file(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        material = services.material_file(actor=request.user, material_id=pk)
    except ApplicationError as exc:
        _raise_http(exc)
        return _after_action(request, pk, error=exc.message)
    notice = _("材料“%(t)s”已归入第%(c)s类第%(n)d号") % {
        "t": material.title,
        "c": material.material_class,
        "n": material.sequence or 0,
    }
    return _after_action(request, pk, notice=notice)


def _catalogue_dossier(request: HttpRequest, dossier_id: int, fmt: str) -> Dossier:
    try:
        return services.catalogue_read(actor=request.user, dossier_id=dossier_id, fmt=fmt)
    except ApplicationError as exc:
        _raise_http(exc)
        raise


@login_required
@require_GET
@_shows_recusal
def catalogue_pdf(request: HttpRequest, dossier_id: int) -> HttpResponse:
    return catalogue.catalogue_pdf_response(_catalogue_dossier(request, dossier_id, "pdf"))


@login_required
@require_GET
@_shows_recusal
def catalogue_xlsx(request: HttpRequest, dossier_id: int) -> HttpResponseBase:
    return catalogue.catalogue_xlsx_response(_catalogue_dossier(request, dossier_id, "xlsx"))
