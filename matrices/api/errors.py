"""One error body for every API failure: ``{"error": {"status", "code", "message", "details"}}``.

The services speak Django (``ValidationError``, ``PermissionDenied``) and
raise ``StaleVersion`` and ``ImportProblems``; they are translated here, once,
so every endpoint answers a refused write the same way the pages do: 400 for
bad input, 403 for a missing role, 409 for an edit of a stale version.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import APIException, NotAuthenticated, PermissionDenied
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from matrices.exchange.problems import ImportProblems
from matrices.services.errors import StaleDraft, StaleVersion


def error_response(
    status_code: int, code: str, message: str, details: object = None, headers=None
) -> Response:
    body = {"status": status_code, "code": code, "message": message, "details": details}
    return Response({"error": body}, status=status_code, headers=headers)


def _stale(exc: StaleVersion) -> Response:
    current = exc.current
    return error_response(
        status.HTTP_409_CONFLICT,
        "conflict",
        str(exc),
        {
            "expected_version": exc.expected,
            "current_version": getattr(current, "version", None),
            "current": current.audit_snapshot() if hasattr(current, "audit_snapshot") else None,
        },
    )


def _invalid(exc: DjangoValidationError) -> Response:
    errors = as_serializer_error(exc)
    if NON_FIELD_ERRORS in errors:  # model-wide checks: DRF's name for them
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    general = errors.get(api_settings.NON_FIELD_ERRORS_KEY, [])
    if len(errors) == 1 and len(general) == 1:  # one plain sentence: say it as the message
        return error_response(status.HTTP_400_BAD_REQUEST, "invalid", str(general[0]))
    return error_response(
        status.HTTP_400_BAD_REQUEST, "invalid", "The request was not valid.", errors
    )


def _visitor(request) -> bool:
    """Nobody signed in and no credentials sent (a refused CSRF check is not a visitor)."""
    if request is None or "HTTP_AUTHORIZATION" in request.META:
        return False
    session = getattr(request._request, "session", None)
    signed_in = session is not None and SESSION_KEY in session
    return not signed_in and not request.user.is_authenticated


def api_exception_handler(exc, context) -> Response | None:
    if isinstance(exc, DjangoPermissionDenied | PermissionDenied) and _visitor(
        context.get("request")
    ):
        # Refused to a visitor: signing in (or a token) may help, as on the pages.
        exc = NotAuthenticated("Sign in, or send an API token.")
    if isinstance(exc, StaleVersion):
        return _stale(exc)
    if isinstance(exc, StaleDraft):
        return error_response(status.HTTP_409_CONFLICT, "conflict", " ".join(exc.messages))
    if isinstance(exc, DjangoValidationError):
        return _invalid(exc)
    if isinstance(exc, ImportProblems):
        return error_response(
            status.HTTP_400_BAD_REQUEST,
            "invalid_file",
            "The file was refused; nothing was written.",
            [
                {"file": p.file, "row": p.row, "column": p.column, "message": p.message}
                for p in exc.problems
            ],
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    message = None
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        message = detail["detail"]
    elif isinstance(detail, list) and len(detail) == 1:  # ValidationError("one sentence")
        message = detail[0]
    codes = exc.get_codes() if isinstance(exc, APIException) else "error"
    response.data = {
        "error": {
            "status": response.status_code,
            "code": codes if isinstance(codes, str) else "invalid",
            "message": str(message) if message else "The request was not valid.",
            "details": None if message else detail,
        }
    }
    return response


def error_json(status_code: int, code: str, message: str) -> JsonResponse:
    """The error body outside DRF's views (a middleware, a path naming no endpoint)."""
    body = {"status": status_code, "code": code, "message": message, "details": None}
    return JsonResponse({"error": body}, status=status_code)


@csrf_exempt  # it writes nothing, and a refused CSRF check would answer in HTML
def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Any path under /api/ that names no endpoint: the error body, not an HTML page."""
    message = f"No endpoint at {request.path}; the schema is at /api/schema/."
    return error_json(404, "not_found", message)
