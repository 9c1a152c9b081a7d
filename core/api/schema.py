"""What the OpenAPI schema says about errors, written once for every operation.

Every API answer that is not a success is JSON from ``core.api.exceptions.portal_exception_handler`` (or, for a path
under ``/api/`` that matches no route, from ``core.views.error_404``): ``{"code", "message"}`` with ``field`` when one
input is at fault, or, for invalid input, DRF's map of each field to its messages. The schema generated per view
only knows the success; ``document_errors`` (a drf-spectacular post-processing hook) adds, to every operation that
does not document them itself, the errors it can answer:

* 400 when it takes a body or query parameters (the input is validated);
* 401 and 403 always (a token is required; roles are checked), and 503 (the database connection broke);
* 404 when its path names a record (a record outside the caller's scope answers 404 as a missing one does) and
  for a page past the last of a list (DRF's "Invalid page.");
* 409 for writes (a record's state may forbid the step) and 415 for writes with a body (an unreadable media type).

A view documents an error itself only to say more about it: ``OpenApiResponse(description=…)`` with no body gets
the shared body here.
"""

PROBLEM = {
    "type": "object",
    "description": "A refused request: a stable `code` clients branch on and a `message` for people.",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": "string", "description": "The input at fault, when there is one."},
    },
    "required": ["code", "message"],
}

INVALID = {
    "description": "Invalid input: each offending field mapped to its messages, or a `Problem` for the request.",
    "anyOf": [
        {"$ref": "#/components/schemas/Problem"},
        {
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    {"type": "array", "items": {}},
                    {"type": "object"},
                    {"type": "string"},
                ]
            },
        },
    ],
}

DESCRIPTIONS = {
    "400": "Invalid input; the body says what to correct.",
    "401": "No valid token or session.",
    "403": "The caller's role may not do this.",
    "404": "No record with this id that the caller may see.",
    "409": "The record's current state does not allow this.",
    "415": "The body's media type is not one this operation reads.",
    "429": "Too many attempts: wait before trying again.",
    "503": "The database is briefly unavailable; nothing was saved. Retry after the seconds in `Retry-After`.",
}

WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get", "head", "options", "trace"}


def _error(status):
    schema = "ProblemOrFieldErrors" if status == "400" else "Problem"
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _statuses(method, operation):
    parameters = operation.get("parameters", [])
    statuses = {"401", "403", "503"}
    if operation.get("requestBody") or any(p.get("in") == "query" for p in parameters):
        statuses.add("400")
    if any(p.get("in") == "path" or (p.get("in"), p.get("name")) == ("query", "page") for p in parameters):
        statuses.add("404")
    if method in WRITES:
        statuses.add("409")
        if operation.get("requestBody"):
            statuses.add("415")
    return statuses


def document_errors(result, generator, request, public):
    """Post-processing hook: add the error answers each operation can give and the shapes of their bodies."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM)
    schemas.setdefault("ProblemOrFieldErrors", INVALID)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses(method, operation)):
                responses.setdefault(status, _error(status))
            for status, response in responses.items():
                # A view may document an error with its own description only: the body is the shared one.
                if status in DESCRIPTIONS and not response.get("content"):
                    response["content"] = _error(status)["content"]
    return result
