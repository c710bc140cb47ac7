"""Service errors: a code for machines, a Chinese message for people, optional field."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A refused act. Raised before anything is written (or inside the transaction it undoes)."""

    status = 400

    def __init__(self, message: str, *, code: str, field: str | None = None, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.detail:
            data["detail"] = self.detail
        return data


class PermissionDenied(ServiceError):
    status = 403

    def __init__(self, message: str = "无权执行此操作", *, code: str = "forbidden", **kw: Any) -> None:
        super().__init__(message, code=code, **kw)


class NotFound(ServiceError):
    status = 404

    def __init__(self, message: str = "对象不存在或无权查看", *, code: str = "not_found", **kw: Any) -> None:
        super().__init__(message, code=code, **kw)


class Conflict(ServiceError):
    status = 409
