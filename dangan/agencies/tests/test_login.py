import pytest
from django.conf import settings
from django.urls import reverse

from dangan.agencies.models import LoginAttempt, Role
from dangan.audit.models import AuditEvent
from tests.fixtures import PASSWORD


def test_production_hashes_passwords_with_argon2():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    response = client.get(reverse("agencies:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "经办人员登录" in body
    assert 'lang="zh-Hans"' in body


@pytest.mark.django_db
def test_clerk_logs_in_and_sees_console(client, make_staff):
    make_staff("370602", Role.COUNTER_CLERK, username="clerk")
    response = client.post(reverse("agencies:login"), {"username": "clerk", "password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert "烟台市芝罘区公共就业和人才服务中心" in body
    assert "窗口经办" in body
    assert AuditEvent.objects.filter(action="auth.login").count() == 1


@pytest.mark.django_db
def test_wrong_password_shows_field_free_chinese_error_and_is_audited(client, make_staff):
    make_staff("370602", Role.COUNTER_CLERK, username="clerk")
    response = client.post(reverse("agencies:login"), {"username": "clerk", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_empty_form_shows_field_level_messages(client):
    response = client.post(reverse("agencies:login"), {"username": "", "password": ""})
    body = response.content.decode()
    assert "请输入用户名" in body
    assert "请输入密码" in body


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, make_staff):
    make_staff("370602", Role.COUNTER_CLERK, username="clerk")
    for _ in range(settings.DANGAN_LOGIN_MAX_FAILURES):
        client.post(reverse("agencies:login"), {"username": "clerk", "password": "wrong"})
    # Even the right password is refused while throttled.
    response = client.post(reverse("agencies:login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_throttled").exists()
    assert LoginAttempt.objects.filter(succeeded=True).count() == 0


@pytest.mark.django_db
def test_user_without_staff_record_cannot_sign_in(client, django_user_model):
    django_user_model.objects.create_user(username="outsider", password=PASSWORD)
    client.post(reverse("agencies:login"), {"username": "outsider", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_post_only_and_audited(client, make_staff):
    user = make_staff("370602", Role.COUNTER_CLERK)
    client.force_login(user)
    assert client.get(reverse("agencies:logout")).status_code == 405
    client.post(reverse("agencies:logout"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.logout").count() == 1


@pytest.mark.django_db
def test_open_redirect_after_login_is_refused(client, make_staff):
    make_staff("370602", Role.COUNTER_CLERK, username="clerk")
    response = client.post(
        reverse("agencies:login") + "?next=https://evil.example/", {"username": "clerk", "password": PASSWORD}
    )
    assert response["Location"] == reverse("console:home")


@pytest.mark.django_db
def test_api_token_issued_for_valid_credentials_only(api_client, make_staff):
    make_staff("370602", Role.COUNTER_CLERK, username="clerk")
    bad = api_client.post("/api/v1/auth/token/", {"username": "clerk", "password": "nope"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_credentials"
    assert bad.json()["message"] == "用户名或密码不正确"
    good = api_client.post("/api/v1/auth/token/", {"username": "clerk", "password": PASSWORD}, format="json")
    assert good.status_code == 200
    token = good.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["agency"]["code"] == "370602"
    assert me["roles"] == ["counter_clerk"]


@pytest.mark.django_db
def test_api_without_credentials_gets_structured_401(api_client):
    response = api_client.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_create_admin_command_requires_a_strong_password(agencies, monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("DANGAN_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("create_admin", username="root1", agency="370600", name="管理员")
    monkeypatch.setenv("DANGAN_ADMIN_PASSWORD", "Strong-enough-pass-2026")
    call_command("create_admin", username="root1", agency="370600", name="管理员")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="root1")
    assert user.staff.role_set == {Role.ADMINISTRATOR}
    assert AuditEvent.objects.filter(action="staff.admin_created").count() == 1


@pytest.mark.django_db
def test_overlong_username_is_an_ordinary_failure(api_client):
    """Found by the schema fuzzer on PostgreSQL: a 150-character username overflowed the audit column."""
    response = api_client.post("/api/v1/auth/token/", {"username": "0" * 150, "password": "0"}, format="json")
    assert response.status_code == 400
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.subject_id == "0" * 64
