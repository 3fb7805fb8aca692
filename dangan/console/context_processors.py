from typing import Any

from django.http import HttpRequest

from dangan.agencies.context_processors import staff_context
from dangan.console.navigation import menu_for


def console(request: HttpRequest) -> dict[str, Any]:
    context = staff_context(request)
    if "current_roles" in context:
        context["menu"] = menu_for(context["current_roles"])
    return context
