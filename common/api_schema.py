"""The API's error answers in the OpenAPI schema: one error body, documented on every
operation (a drf-spectacular post-processing hook, settings.SPECTACULAR_SETTINGS).

Every error the API answers has this shape: `code` (a stable machine code, when the error
has one: domain errors, `database_busy`, `invalid_input`), `detail` (a translated message)
and, for a validation error, one list of translated messages per field that failed (for
example `{"ends_at": ["A session must take place within 31 days ..."]}`).
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error: `code` (stable, when the error has one) and `detail` (translated), or, "
        "for invalid input, one list of translated messages per field."
    ),
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
    },
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
DESCRIPTIONS = {
    "400": "Invalid input: `detail`, or a list of messages per field.",
    "401": "Not authenticated.",
    "403": "Not allowed for this user.",
    "404": "Not found (or not visible to this user).",
    "409": "Clashes with the current state (already done, full, changed meanwhile).",
    "429": "Too many requests: wait and try again.",
    "503": "The database is busy: try again in a few seconds (`database_busy`).",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _error(code: str) -> dict:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result, generator, request, public):
    """Add the Error schema and the 400/401/403/404/409/429/503 answers an operation lacks."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "404", "429", "503"]
            if operation.get("security"):  # public operations (auth=[]) have none
                codes += ["401", "403"]
            if method in WRITE_METHODS:
                codes.append("409")
            for code in sorted(codes):
                operation["responses"].setdefault(code, _error(code))
    return result
