"""Token and session authentication load the staff record and its agency with the user."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from dangan.agencies.models import Role


@pytest.fixture
def token(make_staff):
    user = make_staff("370602", Role.COUNTER_CLERK)
    return Token.objects.create(user=user)


def test_token_brings_staff_and_agency_in_one_query(api_client, token):
    from dangan.agencies.authentication import StaffTokenAuthentication

    with CaptureQueriesContext(connection) as queries:
        user, _ = StaffTokenAuthentication().authenticate_credentials(token.key)
        assert user.staff.agency.short_name == "芝罘区"
    assert len(queries) == 1


def test_bad_and_inactive_tokens_are_refused_in_chinese(api_client, token):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api_client.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert response.json()["message"] == "认证令牌无效。"
    token.user.is_active = False
    token.user.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get("/api/v1/dossiers/").status_code == 401


def test_session_user_comes_with_staff(client, make_staff):
    user = make_staff("370602", Role.COUNTER_CLERK)
    client.force_login(user)
    response = client.get("/console/")
    assert response.status_code == 200
    assert response.wsgi_request.user.staff.agency.code == "370602"
    assert "staff" in response.wsgi_request.user._state.fields_cache
