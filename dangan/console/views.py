from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangan.agencies.policies import staff_of
from dangan.dossiers.selectors import dossiers_visible_to


@login_required
def home(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None:
        return render(request, "console/not_staff.html", status=403)
    context = {
        "role_labels": [sr.get_role_display() for sr in staff.roles.all()],
        "dossier_count": dossiers_visible_to(request.user).count(),
    }
    return render(request, "console/home.html", context)
