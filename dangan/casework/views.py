from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangan.agencies.policies import staff_of
from dangan.casework import registry
from dangan.casework.selectors import late_online_count, requests_visible_to, same_day_queue
from dangan.casework.services import request_advance
from dangan.core.errors import ApplicationError


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(requests_visible_to(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "casework/list.html", {"page": page, "registry": registry})


@login_required
def today(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    staff = staff_of(request.user)
    late = late_online_count(staff.agency_id, day) if staff else 0
    return render(
        request, "casework/today.html", {"queue": same_day_queue(request.user, day), "today": day, "late": late}
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = requests_visible_to(request.user).filter(pk=pk).prefetch_related("steps__agency").first()
    if found is None:
        raise Http404("办件不存在或无权查看")
    service_type = registry.get(found.service_type)
    steps = (
        tuple(s for s in service_type.transitions.get(found.status, ()) if not service_type.is_dedicated(s.to))
        if service_type
        else ()
    )
    staff = staff_of(request.user)
    can_act = staff is not None and staff.agency_id == found.holding_agency_id
    return render(
        request,
        "casework/detail.html",
        {
            "r": found,
            "service_type": service_type,
            "next_steps": steps if can_act else (),
            "status_label": registry.status_label(found.service_type, found.status),
        },
    )


@login_required
@require_POST
def request_step_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        request_advance(
            actor=request.user, request_id=pk, to=request.POST.get("to", ""), note=request.POST.get("note", "")
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(reverse("casework:detail", args=[pk]))
