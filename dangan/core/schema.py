"""OpenAPI post-processing: every operation documents the structured error answer."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "机器可读的错误代码"},
        "message": {"type": "string", "description": "中文错误说明"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "字段级错误",
        },
    },
    "required": ["code", "message", "fields"],
}
ERRORS = {
    "400": "提交的数据有误",
    "401": "未登录或令牌无效",
    "403": "无权办理",
    "404": "不存在或无权查看",
    "405": "不支持的请求方法",
    "406": "不支持的响应格式",
    "409": "与当前状态冲突",
    "415": "不支持的提交格式",
    "429": "请求过于频繁",
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                existing = responses.get(status)
                if existing is None or "content" not in existing:
                    responses[status] = {"description": description, "content": {"application/json": {"schema": ref}}}
                else:
                    existing["content"] = {"application/json": {"schema": ref}}
    return result
