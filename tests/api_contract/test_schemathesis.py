"""The API contract (issue 14, item 4): schemathesis drives every operation of the OpenAPI schema, as each
role, with bounded examples, through the real Django stack (WSGI, middleware, PostgreSQL), and checks each
answer against the schema: status codes, content types, headers and bodies.

The schema is generated when the test runs, so endpoints added later are covered without editing this file.
Example counts: SCHEMATHESIS_EXAMPLES (default 6 per operation and role) keeps CI near two minutes.
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token

from accounts.access import ROLES
from tests.factories import AccountFactory, UserFactory

# positive_data_acceptance expects every schema-valid request to succeed; ours rightly refuse valid-looking
# requests for reasons no schema states (an unknown creditor code, a batch in another state, a file part
# sent as text). Every other check runs: no 5xx, status codes, content types, headers, response bodies,
# and that schema-violating requests are refused.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
# Generated examples per operation and role; only hypothesis' generate phase runs (schemathesis' coverage
# phase alone sends ~50 requests per operation: ~10 minutes here). Raise it for a deeper run.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))
CALLS: Counter = Counter()  # (role) -> requests sent, printed at the end of the module (-s) for the notes


def _schema():
    import django

    django.setup()
    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


schema = _schema()
schema.app = get_wsgi_application()


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    if CALLS:
        print(f"\nschemathesis: {len(CALLS)} roles, "  # noqa: T201
              f"{sum(CALLS.values())} requests, per role {dict(CALLS)}")


@pytest.fixture
def wsgi_in_test_transaction():
    """Like Django's test client: requests must not close the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, wsgi_in_test_transaction):
    AccountFactory()
    return {role: Token.objects.create(user=UserFactory(username=f"st_{role}", roles=[role])).key for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, role, tokens):
    CALLS[role] += 1
    case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"}, excluded_checks=EXCLUDED)


@pytest.mark.django_db
def test_unknown_api_paths_answer_json_404_for_any_method(client_for):
    client = client_for("collector")
    for method, path in (("get", "/api/accounts/null,null/"), ("post", "/api/imports/x/start/"), ("get", "/api/nope")):
        response = getattr(client, method)(path)
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}, (method, path)


def test_the_schema_documents_errors_and_the_pagination_envelope():
    spec = SchemaGenerator().get_schema(request=None, public=True)
    detail = spec["paths"]["/api/accounts/{account_id}/"]["get"]["responses"]
    assert {"200", "401", "403", "404"} <= set(detail)
    imports = spec["paths"]["/api/imports/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = spec["components"]["schemas"][imports["$ref"].rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert "400" in spec["paths"]["/api/imports/"]["post"]["responses"]
