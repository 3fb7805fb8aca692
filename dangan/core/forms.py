"""Showing a service's refusal on the form the person filled in."""

from __future__ import annotations

from typing import Any

from dangan.core.errors import ApplicationError


def add_service_errors(exc: ApplicationError, form: Any) -> None:
    """Field errors go to their fields; the rest, and the overall message when no field is named, on top."""
    for name, problems in exc.fields.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
    if not exc.fields or not set(exc.fields) & set(form.fields):
        form.add_error(None, exc.message)
