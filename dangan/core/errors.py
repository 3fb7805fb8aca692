"""The one family of errors services raise; HTTP layers map them to statuses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ApplicationError(Exception):
    status = 400
    default_code = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.fields: dict[str, list[str]] = {k: [str(m) for m in v] for k, v in (fields or {}).items()}

    def __str__(self) -> str:
        details = "；".join(m for messages in self.fields.values() for m in messages)
        return f"{self.message}：{details}" if details else self.message

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class ValidationFailed(ApplicationError):
    status = 400
    default_code = "invalid"


class PermissionDenied(ApplicationError):
    status = 403
    default_code = "forbidden"


class NotFound(ApplicationError):
    status = 404
    default_code = "not_found"


class Conflict(ApplicationError):
    status = 409
    default_code = "conflict"
