"""A walk of every route the URL resolver knows with hostile parameters (docs/api.md "Bad input, again").

Path parameters get numbers above 2^63 and 2^64 (and, where a route takes any string, negative, non-numeric and
over-long values and a malformed UUID); query strings get the filter and page names the portal uses, each set to
such values. No answer may be a server error. The walk is plain code so that it runs in the suite on PostgreSQL
and, in the embedded smoke test's child process, on SQLite."""

import re

from django.urls import get_resolver

from .helpers import walk_routes

HUGE = str(2**63)
VALUES = (
    HUGE,
    str(2**64),
    "-1",
    "-9223372036854775809",
    "abc",
    "1e309",
    "00000000-0000-0000-0000-00000000000g",
    "2026-13-45",
    "x" * 300,
    "１２３",
)
#: What a path parameter that takes any string gets.
STR_VALUES = (HUGE, "-1", "abc", "00000000-0000-0000-0000-00000000000g")
#: Path values by converter; ``int`` and ``uuid`` accept only their own shape, so the resolver refuses the rest.
PATH_VALUES = {
    "int": (HUGE, str(2**64)),
    "uuid": ("00000000-0000-0000-0000-000000000001",),
    "path": ("x/y", "abc", HUGE),
}
PARAMETERS = (
    "enterprise",
    "provider",
    "unit",
    "project",
    "diagnosis",
    "assessment",
    "acceptance",
    "user",
    "batch",
    "period",
    "year",
    "as_of",
    "page",
    "page_size",
    "status",
    "kind",
    "file",
    "id",
    "object",
    "model",
    "record",
    "sector",
    "scale",
    "size",
    "tier",
    "search",
    "q",
    "next",
    "date",
    "date_from",
    "date_to",
    "since",
    "until",
    "ordering",
    "format",
    "stage",
    "budget_line",
    "commitment",
    "commitment_line",
    "source",
    "purpose",
    "body",
    "organisation",
    "level",
    "policy",
    "product",
    "scene",
    "entry",
    "snapshot",
    "compare",
    "deadline",
    "due_before",
    "overdue",
)
#: Routes the walk leaves alone, and why.
SKIPPED = {
    "accounts:logout": "it ends the walking user's session",
    "admin:logout": "it ends the walking user's session",
    "set_language": "a cookie switch",
}


def _paths(pattern):
    """Concrete paths for ``pattern``: each converter filled with each of its hostile values."""
    pattern = pattern.replace("^", "").replace("$", "").replace("\\Z", "")
    pattern = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<str:\1>", pattern)  # the router's regex routes
    pattern = re.sub(r"\\\.\(\?P<format>[a-z0-9]+\)/?\??", "", pattern)
    pattern = re.sub(r"\(\?:[^)]*\)\??|\\\.\w*|\.\?", "", pattern).replace("\\", "").replace("/?", "/")
    slots = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
    if not slots:
        return ["/" + pattern.lstrip("/")]
    paths = []
    for converter, _name in slots:
        for value in PATH_VALUES.get(converter or "str", STR_VALUES):
            path = pattern
            for other, other_name in slots:
                fill = (
                    value if (other, other_name) == (converter, _name) else PATH_VALUES.get(other or "str", ("1",))[0]
                )
                path = re.sub(r"<(?:\w+:)?" + other_name + ">", fill.replace("\\", ""), path, count=1)
            paths.append("/" + path.lstrip("/"))
    return paths


def routes():
    """``(path, name, takes_parameters)`` of every route, once for each hostile value of each path parameter."""
    found = set()
    for pattern, name in walk_routes(get_resolver()):
        if name in SKIPPED or pattern.startswith("static/"):
            continue
        paths = _paths(pattern)
        found.update((path, name, len(paths) > 1 or "<" in pattern or "(?P" in pattern) for path in paths)
    return sorted(found)


def walk(client):
    """GET every route with hostile path values, and every route without path parameters (the lists, where the
    filters are) with hostile query strings, every name at once for each value (a filter form validates all its
    fields, so each one meets the value). Returns ``(checked, errors)``; errors lists ``(method, path, status)``
    of every answer of 500 or more."""
    errors, checked = [], 0
    client.raise_request_exception = False  # a crash answers 500 and the walk goes on to list them all

    def get(path, params=None):
        nonlocal checked
        checked += 1
        response = client.get(path, params or {}, HTTP_ACCEPT="application/json, */*", HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code >= 500:
            errors.append(
                (
                    "GET",
                    path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""),
                    response.status_code,
                )
            )

    for path, _name, takes_parameters in routes():
        get(path)
        if not takes_parameters:
            for value in VALUES:
                get(path, dict.fromkeys(PARAMETERS, value))
    return checked, errors
