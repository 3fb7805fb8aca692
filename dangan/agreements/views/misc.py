"""Landing page, reminders, public notices and the dossier page's agreements section."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangan.agencies.policies import staff_of
from dangan.agreements import selectors, services
from dangan.agreements.forms import NoticeForm
from dangan.agreements.policies import can_publish_notice, can_sign
from dangan.agreements.views.common import require_reader
from dangan.core.errors import ApplicationError
from dangan.dossiers.models import Dossier
from dangan.dossiers.policies import can_read_dossier


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    reminders = selectors.reminders_for(request.user, timezone.localdate(), limit=5)
    staff = staff_of(request.user)
    context = {
        "reminders": reminders,
        "may_sign": staff is not None and can_sign(request.user, staff.agency),
        "notices": list(selectors.notices_published()[:5]),
    }
    return render(request, "agreements/home.html", context)


@login_required
@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    today = timezone.localdate()
    return render(
        request, "agreements/reminders.html", {"r": selectors.reminders_for(request.user, today), "today": today}
    )


@login_required
@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    """Public notices of service changes (R29): every staff member reads them; approvers publish."""
    require_reader(request)
    staff = staff_of(request.user)
    may_publish = staff is not None and can_publish_notice(request.user, staff.agency)
    form = NoticeForm(request.POST or None, initial={"effective_on": timezone.localdate()}) if may_publish else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("只有审批负责人或系统管理员可以发布公告"))
        if form.is_valid():
            try:
                services.notice_publish(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("公告已发布"))
                return HttpResponseRedirect(reverse("agreements:notices"))
    page = Paginator(selectors.notices_published(), 20).get_page(request.GET.get("page"))
    return render(request, "agreements/notices.html", {"page": page, "form": form})


@login_required
@require_GET
def dossier_section(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The dossier page's agreements section (loaded by htmx)."""
    require_reader(request)
    dossier = Dossier.objects.select_related("holding_agency", "custodian", "person").filter(pk=dossier_id).first()
    if dossier is None or not can_read_dossier(request.user, dossier):
        raise Http404(_("档案不存在或无权查看"))
    entries, personal = selectors.agreements_of_dossier(request.user, dossier)
    context = {
        "dossier": dossier,
        "entries": entries,
        "personal": personal,
        "may_sign": can_sign(request.user, dossier.holding_agency),
    }
    return render(request, "agreements/_dossier_section.html", context)
