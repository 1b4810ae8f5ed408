"""The OpenAPI schema documents the API's error answers (``lianqi.core.api.errors``).

A drf-spectacular post-processing hook adds one ``Error`` component and, to every operation, the
error statuses it can answer with (a status the view documents itself keeps its description,
and gets the ``Error`` body if it names none):

* all: 401 and 403 (no or bad credentials, not allowed), 405, 406 and 429;
* with path parameters, paged (a page past the end) or with a body (a record it names that you
  cannot see): 404;
* with query parameters or a body: 400;
* with a body: 409 (a stale version or a conflicting record), 413 and 415.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: a stable code to branch on, a message in the user's language and, for "
    "invalid input, the messages of each field.",
    "properties": {
        "code": {"type": "string", "description": "Stable error code, e.g. invalid, not_found, permission_denied."},
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Per field (nested for nested input): a list of {code, message}.",
            "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"},
        },
    },
    "required": ["code", "message"],
}
FIELD_ERRORS_SCHEMA = {
    "description": "The errors of one field: a list of {code, message}; an object or a list of these "
    "for nested objects and lists.",
    "anyOf": [
        {"type": "array", "items": {"$ref": "#/components/schemas/ErrorDetail"}},
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"}},
        {"type": "array", "items": {"$ref": "#/components/schemas/FieldErrors"}},
    ],
}
ERROR_DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
    "required": ["code", "message"],
}

DESCRIPTIONS = {
    "400": "Invalid input; see errors.",
    "401": "Not authenticated.",
    "403": "Not authenticated, or not allowed.",
    "404": "Not found, or not visible to you.",
    "405": "Method not allowed.",
    "406": "The Accept header asks for a format the API does not answer in.",
    "409": "Conflict: the record changed since you read it, or the change collides with another record.",
    "413": "Request body too large.",
    "415": "Unsupported media type.",
    "429": "Too many requests; try again later.",
}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _statuses(operation, method):
    statuses = ["401", "403", "405", "406", "429"]
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation or method in ("post", "put", "patch")
    if has_body or any(parameter.get("in") == "path" or parameter.get("name") == "page" for parameter in parameters):
        statuses.append("404")
    if has_body or any(parameter.get("in") == "query" for parameter in parameters):
        statuses.append("400")
    if has_body:
        statuses += ["409", "413", "415"]
    return sorted(statuses)


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("FieldErrors", FIELD_ERRORS_SCHEMA)
    schemas.setdefault("ErrorDetail", ERROR_DETAIL_SCHEMA)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses(operation, method):
                responses.setdefault(status, {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                # Also the errors a view names without a body (e.g. 422 of visits/extract).
                if status.startswith("4") and "content" not in response:
                    response["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return result
