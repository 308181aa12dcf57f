"""One error body for every API failure: ``{"error": {"status", "code", "message", "details"}}``."""

from __future__ import annotations

from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_exception_handler(exc, context) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
    message = detail.get("detail") if isinstance(detail, dict) and "detail" in detail else None
    response.data = {
        "error": {
            "status": response.status_code,
            "code": codes if isinstance(codes, str) else "invalid",
            "message": str(message) if message else "The request was not valid.",
            "details": None if message else detail,
        }
    }
    return response
