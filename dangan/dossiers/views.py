from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dangan.core.codetables import table
from dangan.core.errors import NotFound
from dangan.dossiers.policies import sees_full_id_number
from dangan.dossiers.selectors import dossier_search
from dangan.dossiers.services import dossier_read


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page = Paginator(dossier_search(request.user, query), 25).get_page(request.GET.get("page"))
    template = "dossiers/_results.html" if request.htmx else "dossiers/list.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "q": query})


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = dossier_read(actor=request.user, dossier_id=pk)
    except NotFound:
        raise Http404("档案不存在或无权查看") from None
    person = dossier.person
    context = {
        "dossier": dossier,
        "person": person,
        "id_number": person.id_number if sees_full_id_number(request.user) else person.masked_id_number,
        "sex": table("sex").label(person.sex),
        "ethnic_group": table("ethnic_group").label(person.ethnic_group),
    }
    return render(request, "dossiers/detail.html", context)
