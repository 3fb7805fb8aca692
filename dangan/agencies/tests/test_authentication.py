"""Token and session authentication load the staff record and its agency with the user."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from dangan.agencies.models import Role
from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import agencies_visible_to, readable_agency_ids


@pytest.fixture
def token(make_staff):
    user = make_staff("370602", Role.COUNTER_CLERK)
    return Token.objects.create(user=user)


def test_token_brings_staff_and_agency_in_one_query(api_client, token):
    from dangan.agencies.authentication import StaffTokenAuthentication

    with CaptureQueriesContext(connection) as queries:
        user, found = StaffTokenAuthentication().authenticate_credentials(token.key)
        assert user.staff.agency.short_name == "芝罘区"
        assert found.key == token.key
        assert found.user is user
        assert readable_agency_ids(user) == [user.staff.agency_id]
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)  # elsewhere the roles come apart


@pytest.mark.rule("R43")
@pytest.mark.parametrize("code", ["370000", "370600", "370602"])
@pytest.mark.parametrize("roles", [(Role.SUPERVISOR,), (Role.COUNTER_CLERK, Role.ARCHIVE_KEEPER), ()])
def test_the_loaded_principal_carries_the_roles_and_the_scope_the_orm_gives(make_staff, code, roles):
    """On PostgreSQL token and session authentication bring roles and readable agencies in the same query."""
    from dangan.agencies.authentication import StaffModelBackend, StaffTokenAuthentication

    user = make_staff(code, *roles)
    key = Token.objects.create(user=user).key
    fresh = get_user_model().objects.get(pk=user.pk)  # the ORM's answers, each from its own query
    expected_roles, expected_ids = fresh.staff.role_set, readable_agency_ids(fresh)
    assert expected_ids == list(agencies_visible_to(fresh).values_list("pk", flat=True))
    for load in (lambda: StaffTokenAuthentication().authenticate_credentials(key)[0],
                 lambda: StaffModelBackend().get_user(str(user.pk))):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            loaded = load()
            assert (loaded.staff.role_set, readable_agency_ids(loaded)) == (frozenset(roles), expected_ids)
            assert loaded.staff.role_set == expected_roles
        assert len(queries) == (1 if connection.vendor == "postgresql" else 3 if Role.SUPERVISOR in roles else 2)


def test_a_user_without_a_staff_record_loads_as_no_staff(django_user_model):
    from dangan.agencies.authentication import StaffModelBackend, StaffTokenAuthentication

    user = django_user_model.objects.create_user(username="citizen", password="x-Long-enough-1")
    key = Token.objects.create(user=user).key
    for loaded in (StaffTokenAuthentication().authenticate_credentials(key)[0], StaffModelBackend().get_user(user.pk)):
        assert loaded.username == "citizen"
        assert staff_of(loaded) is None
        assert readable_agency_ids(loaded) == []
    assert StaffModelBackend().get_user("not-a-number") is None
    assert StaffModelBackend().get_user(user.pk + 999) is None


def test_bad_and_inactive_tokens_are_refused_in_chinese(api_client, token):
    for key in ["0" * 40, "0" * 41, "ab\x00cd"]:  # unknown, too long, a NUL (no query can hold it)
        api_client.credentials(HTTP_AUTHORIZATION="Token " + key)
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
