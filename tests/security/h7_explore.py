"""Fuzz the REST API with schemathesis against its own OpenAPI schema (issue 8).

The schema is loaded from the application itself (``/api/schema/``, which needs a token) and every operation it
documents is called in-process through the WSGI application, on the demo programme (``seed_demo``) loaded once for
the module and rolled back after it. Each generated request runs inside a savepoint that is rolled back, so the
cases are independent of one another and of their order.

For each operation and each caller (a district official, the role that reaches most operations, and a unit staff
member, whose scope is one unit) hypothesis generates:

* requests that fit the schema (positive), with the path's record id drawn at random *and* pinned to a record the
  caller may see, so bodies are tried against real records and not only against 404s;
* requests that break it (negative): wrong types, missing fields, out-of-range values.

Every response must be no server error, must have a status code the schema documents and a body and content type
that match what the schema says for that status. Generation is derandomized (the same cases every run) and
time-boxed through ``max_examples``; the module prints how many operations and cases it ran.
"""

import time
import traceback
from collections import Counter

import pytest
import schemathesis
import werkzeug
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from songjiang_pilot.wsgi import application

CHECKS = [negative_data_rejection, positive_data_acceptance, not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

#: Cases per operation, caller and kind of data; about 2,500 requests in all, under 4 minutes on 2 cores.
EXAMPLES = {"positive": 25, "pinned": 25, "negative": 25}

CALLERS = ["district", "unit_310117001"]


@pytest.fixture(scope="module")
def programme(django_db_setup, django_db_blocker):
    """The demo programme, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
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
    except Unsatisfiable:  # nothing in this operation can be made invalid (no parameters, no body)
        tally["operations with nothing to negate"] += 1


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_fuzz_the_api(programme, caller, capsys):
    user = programme[caller]
    token, _ = Token.objects.get_or_create(user=user)
    headers = {"Authorization": f"Token {token.key}", "Accept-Language": "en"}
    started = time.monotonic()
    tally = Counter()
    failures = {}
    with _KeepConnection():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=headers)
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            common = {"headers": headers, "tally": tally, "failures": failures}
            _fuzz(
                operation, mode=GenerationMode.POSITIVE, path_parameters=None, examples=EXAMPLES["positive"], **common
            )
            record = _a_visible_record(operation, headers)
            if record is not None:
                tally["pinned operations"] += 1
                _fuzz(
                    operation,
                    mode=GenerationMode.POSITIVE,
                    path_parameters={"id": record},
                    examples=EXAMPLES["pinned"],
                    **common,
                )
            _fuzz(
                operation, mode=GenerationMode.NEGATIVE, path_parameters=None, examples=EXAMPLES["negative"], **common
            )
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nfuzz as {caller}: {len(operations)} operations ({tally['pinned operations']} also on a visible record),"
            f" {tally['cases']} cases in {elapsed:.0f} s, {len(failures)} distinct failures"
        )
    assert operations and tally["cases"] > len(operations) * 5
    assert not failures, "\n\n".join(f"{label} — {title}\n{detail}" for (label, title), detail in failures.items())
