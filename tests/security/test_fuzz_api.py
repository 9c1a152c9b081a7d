"""Fuzz the REST API with schemathesis against its own OpenAPI schema (issue 8).

The schema is loaded from the application itself (``/api/schema/``, which needs a token) and every operation it
documents is called in-process through the WSGI application, on the demo programme (``seed_demo``) loaded once for
the module and rolled back after it. Each generated request runs inside a savepoint that is rolled back, so the
cases are independent of one another and of their order.

For each operation and each caller (a district official, the role that reaches most operations; a unit staff
member, whose scope is one unit; the administrator, who alone manages users) hypothesis generates:

* requests that fit the schema (positive), with the path's record id drawn at random *and* pinned to a record the
  caller may see, so bodies are tried against real records and not only against 404s;
* requests that break it (negative): wrong types, missing fields, out-of-range values.

Every response must be no server error, must have a status code the schema documents and a body and content type
that match what the schema says for that status. Generation is derandomized (the same cases every run) and
time-boxed through ``max_examples``; the module prints how many operations and cases it ran. What earlier runs
found is pinned by the plain tests at the end.

Not checked: that the API *refuses* every request the schema calls invalid (schemathesis' negative_data_rejection).
Query parameters are read leniently as DRF does (``?page_size=abc`` falls back to the default page size), and
business rules refuse schema-valid requests (a date in the future), so neither direction is a contract here.
"""

import os
import time
import traceback
import uuid
from collections import Counter

import pytest
import schemathesis
import werkzeug
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from core.roles import Role
from songjiang_pilot.wsgi import application
from tests.helpers import ensure_reference_data
from tests.tokens import api_key

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

#: Cases per operation, caller and kind of data: about 3,500 requests in all, the module under 4 minutes on 2 cores.
#: ``PORTAL_FUZZ_EXAMPLES=50`` runs a deeper search (same cases first, then more).
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "6"))

#: The district official reaches most operations; unit staff see one unit; the administrator alone manages users.
CALLERS = ["district", "unit_310117001", "admin"]


@pytest.fixture(scope="module")
def programme(django_db_setup, django_db_blocker):
    """The demo programme, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()  # an earlier transactional test may have flushed the units
        call_command("seed_demo", verbosity=0)
        yield {u.username: u for u in User.objects.filter(username__in=CALLERS)}
        transaction.set_rollback(True)


class _KeepConnection:
    """Django closes "old" connections at the start and end of each request; a test's connection sits inside an
    open transaction, so (as Django's own test client does) the handlers are detached while the fuzzer calls."""

    def __enter__(self):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _a_visible_record(operation, headers):
    """The first record the caller may see on the list endpoint this operation's path belongs to, if any."""
    path = operation.path
    if "{id}" not in path:
        return None
    # Through the WSGI application like the fuzzer (Django's test client would re-attach the handlers above).
    response = werkzeug.Client(application).get(path.split("{id}")[0], query_string={"page_size": 1}, headers=headers)
    if response.status_code != 200:
        return None
    data = response.get_json()
    results = data.get("results", data) if isinstance(data, dict) else data
    if not results or not isinstance(results, list) or "id" not in results[0]:
        return None
    return results[0]["id"]


def _fuzz(operation, *, headers, mode, path_parameters, examples, tally, failures):
    """Run ``examples`` generated cases of one operation; record failures by operation and check, keep going."""

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        tally["cases"] += 1
        with transaction.atomic():
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except FailureGroup as group:
                for failure in group.exceptions:
                    key = (operation.label, failure.title)
                    if key not in failures:
                        failures[key] = str(group)
            except Exception:  # an error the WSGI handler let through: a server error all the same
                failures.setdefault((operation.label, "exception"), traceback.format_exc())
            transaction.set_rollback(True)

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        tally["operations with nothing to negate"] += 1  # no parameters and no body: nothing can be made invalid


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_fuzz_the_api(programme, caller, capsys):
    user = programme[caller]
    headers = {"Authorization": f"Token {api_key(user)}", "Accept-Language": "en"}
    started = time.monotonic()
    tally = Counter()
    failures = {}
    with _KeepConnection():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=headers)
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            common = {"headers": headers, "tally": tally, "failures": failures}
            _fuzz(operation, mode=GenerationMode.POSITIVE, path_parameters=None, examples=EXAMPLES, **common)
            record = _a_visible_record(operation, headers)
            if record is not None:
                tally["pinned operations"] += 1
                _fuzz(
                    operation,
                    mode=GenerationMode.POSITIVE,
                    path_parameters={"id": record},
                    examples=EXAMPLES,
                    **common,
                )
            _fuzz(operation, mode=GenerationMode.NEGATIVE, path_parameters=None, examples=EXAMPLES, **common)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nfuzz as {caller}: {len(operations)} operations ({tally['pinned operations']} also on a visible record),"
            f" {tally['cases']} cases in {elapsed:.0f} s ({tally['operations with nothing to negate']} operations with"
            f" nothing to negate), {len(failures)} distinct failures"
        )
    assert operations and tally["cases"] > len(operations) * 5
    assert not failures, "\n\n".join(f"{label} — {title}\n{detail}" for (label, title), detail in failures.items())


# --- What the fuzzer found, pinned as plain regression tests -----------------------------------------


@pytest.fixture
def district_api(users, api):
    return api.as_user(users[Role.DISTRICT_OFFICIAL])


def test_the_schema_documents_the_errors_every_operation_can_answer(district_api):
    schema = district_api.get("/api/schema/?format=json").json()
    assert {"code", "message"} <= set(schema["components"]["schemas"]["Problem"]["properties"])
    operations = [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) > 100
    for method, path, operation in operations:
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if operation.get("requestBody"):
            assert {"400", "409", "415"} <= set(responses), (method, path)
        for status, response in responses.items():
            if status >= "400":
                assert "application/json" in response["content"], (method, path, status)


def test_a_path_under_the_api_that_matches_no_route_answers_json(district_api):
    for path in ("/api/v1/backfill/not-a-uuid/errors/", "/api/v1/enterprises/import/x/", "/api/v1/no-such-thing/"):
        response = district_api.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"


def test_an_error_from_a_file_download_is_labelled_json_whatever_format_was_asked(district_api):
    for path in (
        "/api/v1/diagnoses/987654321/signed-pdf/?format=pdf",
        f"/api/v1/backfill/{uuid.uuid4()}/errors/?format=xlsx",
        f"/api/v1/enterprises/import/{uuid.uuid4()}/errors/?format=xlsx",
    ):
        response = district_api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json()["code"] == "not_found"


def test_text_with_a_nul_character_is_refused_with_a_message(district_api):
    response = district_api.post("/api/v1/reports/", {"period": "2025\x00"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": "Text may not contain NUL characters."}


def test_a_history_list_is_documented_as_the_plain_array_it_is(district_api):
    schema = district_api.get("/api/schema/?format=json").json()
    for path in ("/api/v1/projects/{id}/transitions/", "/api/v1/diagnoses/{id}/transitions/"):
        operation = schema["paths"][path]["get"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
        assert [p["name"] for p in operation["parameters"]] == ["id"]


def test_a_user_id_that_is_not_a_number_is_a_404_not_a_server_error(users, api):
    admin = api.as_user(users[Role.ADMIN])
    response = admin.get("/api/v1/users/true/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    district = admin.get(f"/api/v1/users/{users[Role.DISTRICT_OFFICIAL].pk}/").json()
    assert district["unit"] is None and district["provider"] is None and district["organisation"] is None
    user_schema = admin.get("/api/schema/?format=json").json()["components"]["schemas"]["User"]["properties"]
    assert all(user_schema[name]["nullable"] for name in ("unit", "provider", "organisation"))
