"""The OpenAPI 3 schema is valid, and every endpoint survives fuzzing without server errors or schema lies."""

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dangan.agencies.models import Role


@pytest.mark.django_db
def test_schema_validates_as_openapi_3(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    assert text.startswith("openapi: 3.")
    assert "/api/v1/dossiers/{id}/" in text


@pytest.mark.django_db
def test_docs_page_serves_swagger_from_local_static_files(client):
    body = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower()


@pytest.fixture
def api_schema(db):
    from config.wsgi import application

    # As Django's test client does: requests must not close the test's transaction-bound connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(make_staff, make_dossier):
    for _ in range(3):
        make_dossier("370602")
    make_dossier("370683")
    user = make_staff("370602", Role.COUNTER_CLERK, Role.ADMINISTRATOR, username="fuzzer")
    return Token.objects.create(user=user).key


schema = schemathesis.pytest.from_fixture("api_schema")
FUZZ = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
# One test per group of endpoints, so the test runner can spread the fuzzing over its workers. The agreement,
# employer and notice endpoints (tag "agreements") are fuzzed by dangan/agreements/tests/test_api_fuzz.py, with
# real agreements, rosters and employers in scope: not again here with an empty world.
GROUPS = (
    r"^/api/v1/(consultations|political-reviews|certificates)/",
    r"^/api/v1/(loans|transfers|transfer-letters|rectifications|party-transfers|storage)/",
)


def _conforms(case, token):
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )


@schema.include(path_regex=GROUPS[0]).parametrize()
@FUZZ
def test_consultation_review_and_certificate_endpoints_conform_to_the_schema(case, fuzz_token):
    _conforms(case, fuzz_token)


@schema.include(path_regex=GROUPS[1]).parametrize()
@FUZZ
def test_loan_transfer_rectification_and_storage_endpoints_conform_to_the_schema(case, fuzz_token):
    _conforms(case, fuzz_token)


@schema.exclude(path_regex="|".join(GROUPS)).exclude(tag="agreements").parametrize()
@FUZZ
def test_every_other_endpoint_conforms_to_the_schema(case, fuzz_token):
    _conforms(case, fuzz_token)
