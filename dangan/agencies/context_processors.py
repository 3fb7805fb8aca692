from typing import Any

from django.http import HttpRequest

from dangan.agencies.policies import staff_of


def staff_context(request: HttpRequest) -> dict[str, Any]:
    staff = staff_of(getattr(request, "user", None))
    if staff is None:
        return {}
    return {"current_staff": staff, "current_agency": staff.agency, "current_roles": staff.role_set}
