"""Schema post-processing: every operation documents the one error body it may answer with."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every refused request.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string", "description": "e.g. invalid, conflict, not_found."},
                "message": {"type": "string", "description": "What went wrong, for people."},
                "details": {
                    "nullable": True,
                    "description": "Field errors, file problems or the current version.",
                },
            },
            "required": ["status", "code", "message", "details"],
        }
    },
    "required": ["error"],
}

READ_ERRORS = {
    "400": "Invalid query parameters.",
    "401": "Not signed in: sign in or send an API token.",
    "403": "Signed in without the role this needs.",
    "404": "No such object, or not one the caller may see.",
}
WRITE_ERRORS = {
    **READ_ERRORS,
    "400": "Invalid input; nothing was written.",
    "409": "The version sent is stale (someone saved first); nothing was written.",
}


THROTTLED = {
    "description": "Too many requests from this client: wait as Retry-After says.",
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer"},
        }
    },
}


def add_error_responses(result: dict, generator, request, public) -> dict:
    """Add the error responses (one shared ``Error`` schema) to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            errors = READ_ERRORS if method in ("get", "head") else WRITE_ERRORS
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": content})
            responses.setdefault("429", {**THROTTLED, "content": content})
    return result
