"""What the schema adds to drf-spectacular's: the limits the input serializers and filters
check, and (post-processing) the one error body every operation may answer with.

The extensions register when this module is imported (``matrices.api.urls`` does).
"""

from __future__ import annotations

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from matrices.api.base import StrictInput

# A text DRF accepts where it may not be blank: one character that is not whitespace as
# Python's str.strip() sees it (DRF trims texts first). Written out, since \s in the
# schema's regular expressions (ECMA 262) is not quite Python's: it lacks \x1c-\x1f and
# \x85, and has \ufeff.
NOT_BLANK = r"[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


class StrictInputSchema(OpenApiSerializerExtension):
    """The schema of a StrictInput serializer says what it checks: no other fields
    (``additionalProperties: false``); a text that may not be blank has a character that
    is not whitespace; and a PATCH body (every field optional, for drf-spectacular) still
    requires the fields its view requires (``required_in_patch``)."""

    target_class = StrictInput
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = False
        properties = schema.get("properties", {})
        for name, field in self.target.fields.items():
            if (
                name in properties
                and isinstance(field, serializers.CharField)
                and not (field.allow_blank or field.read_only)
            ):
                properties[name].setdefault("minLength", 1)
                if field.trim_whitespace:
                    properties[name].setdefault("pattern", NOT_BLANK)
        if getattr(self.target, "partial", False) and self.target.required_in_patch:
            schema["required"] = [
                *schema.get("required", []),
                *(name for name in self.target.required_in_patch if name in properties),
            ]
        return schema


class FilterLimits(DjangoFilterExtension):
    """Query filters with their limits: a longer text or a smaller number is a 400."""

    priority = 1  # before drf-spectacular's own

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        limits = {"max_length": "maxLength", "min_value": "minimum", "max_value": "maximum"}
        for parameter in parameters:
            for option, keyword in limits.items():
                if filter_field.extra.get(option) is not None:
                    parameter["schema"].setdefault(keyword, filter_field.extra[option])
        return parameters


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


# Refused by the HTTP server before Django sees the request, in its own words (HTML).
URI_TOO_LONG = {
    "description": "The URL is longer than the server takes (gunicorn refuses a request line "
    "over 4,094 bytes); a delete takes its reason in the body, too."
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
    """Add the error responses (one shared ``Error`` schema) to every operation, and the 414
    the HTTP server answers by itself."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            errors = READ_ERRORS if method in ("get", "head") else WRITE_ERRORS
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": content})
            responses.setdefault("414", URI_TOO_LONG)
            responses.setdefault("429", {**THROTTLED, "content": content})
    return result
