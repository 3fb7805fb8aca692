"""The agreement endpoints fuzzed with real objects in scope: no server errors, answers match the schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dangan.agencies.models import Role, StaffRole


@pytest.fixture
def agreements_schema(db):
    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def agreements_token(world):
    # one user with every working role of the agency that holds the world's objects (ids 1, 2, …)
    user = world.users["clerk"]
    for role in (Role.APPROVER, Role.ONLINE_OFFICER):
        StaffRole.objects.create(staff=user.staff, role=role)
    return Token.objects.create(user=user).key


schema = schemathesis.pytest.from_fixture("agreements_schema").include(tag="agreements")


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_agreement_endpoints_conform_to_their_schema(case, agreements_token):
    response = case.call(headers={"Authorization": f"Token {agreements_token}"})
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
