"""Writes about agencies and staff: sign-in, tokens, accounts."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from dangan.agencies.models import Agency, LoginAttempt, Role, Staff, StaffRole
from dangan.agencies.policies import has_role
from dangan.audit import events
from dangan.audit.services import record
from dangan.core import context
from dangan.core.errors import ApplicationError, PermissionDenied, ValidationFailed


class LoginThrottled(ApplicationError):
    status = 429
    default_code = "throttled"


def recent_failures(*, username: str, ip: str | None) -> int:
    since = timezone.now() - datetime.timedelta(seconds=settings.DANGAN_LOGIN_WINDOW_SECONDS)
    by_user = LoginAttempt.objects.filter(username=username, succeeded=False, at__gte=since).count()
    by_ip = LoginAttempt.objects.filter(ip=ip, succeeded=False, at__gte=since).count() if ip else 0
    # Per address the limit is wider: several clerks may share one office address.
    return max(by_user, by_ip // 4)


def staff_authenticate(*, request: Any, username: str, password: str) -> Any:
    """Check a staff member's credentials, throttled per username and address; every attempt recorded."""
    ctx = context.current()
    username = (username or "").strip()[:150]
    if recent_failures(username=username, ip=ctx.ip) >= settings.DANGAN_LOGIN_MAX_FAILURES:
        with transaction.atomic():
            record(actor=None, action=events.LOGIN_THROTTLED, subject=("auth.user", username), actor_name=username)
        minutes = settings.DANGAN_LOGIN_WINDOW_SECONDS // 60
        raise LoginThrottled(_("登录失败次数过多，请%(m)d分钟后再试") % {"m": minutes})
    user: Any = authenticate(request, username=username, password=password)
    ok = user is not None and hasattr(user, "staff") and user.is_active
    with transaction.atomic():
        LoginAttempt.objects.create(username=username, ip=ctx.ip, at=timezone.now(), succeeded=ok, channel=ctx.channel)
        if ok:
            record(actor=user, action=events.LOGIN_SUCCEEDED, subject=user)
        else:
            record(actor=None, action=events.LOGIN_FAILED, subject=("auth.user", username), actor_name=username)
    if not ok or user is None:
        raise ValidationFailed(_("用户名或密码不正确"), code="invalid_credentials")
    return user


def token_issue(*, request: Any, username: str, password: str) -> str:
    user = staff_authenticate(request=request, username=username, password=password)
    with transaction.atomic():
        token, _created = Token.objects.get_or_create(user=user)
        record(actor=user, action=events.TOKEN_ISSUED, subject=user)
    return str(token.key)


def record_logout(*, actor: Any) -> None:
    with transaction.atomic():
        record(actor=actor, action=events.LOGOUT, subject=actor)


def _check_password(password: str, user: Any) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(_("密码不符合要求"), fields={"password": exc.messages}) from None


def administrator_create(*, username: str, password: str, full_name: str, agency: Agency) -> Staff:
    """The first administrator of an install (from the command line; there is no default password)."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationFailed(_("用户名已存在"), fields={"username": [_("用户名已存在")]})
    with transaction.atomic():
        user = user_model(username=username, is_staff=False, is_superuser=False)
        _check_password(password, user)
        user.set_password(password)
        user.save()
        staff = Staff.objects.create(user=user, agency=agency, full_name=full_name)
        StaffRole.objects.create(staff=staff, role=Role.ADMINISTRATOR)
        record(
            actor=None, action=events.ADMIN_CREATED, subject=staff, agency_id=agency.pk, after={"username": username}
        )
    return staff


def staff_create(
    *,
    actor: Any,
    username: str,
    password: str,
    full_name: str,
    agency: Agency,
    roles: list[str],
) -> Staff:
    """An administrator adds a staff member to their own agency or one below it."""
    if not has_role(actor, Role.ADMINISTRATOR) or not agency.path.startswith(actor.staff.agency.path):
        raise PermissionDenied(_("只有本机构或上级机构的系统管理员可以添加经办人员"))
    unknown = [r for r in roles if r not in Role.values]
    if unknown or not roles:
        raise ValidationFailed(_("角色无效"), fields={"roles": [_("请至少选择一个有效角色")]})
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationFailed(_("用户名已存在"), fields={"username": [_("用户名已存在")]})
    with transaction.atomic():
        user = user_model(username=username)
        _check_password(password, user)
        user.set_password(password)
        user.save()
        staff = Staff.objects.create(user=user, agency=agency, full_name=full_name)
        StaffRole.objects.bulk_create([StaffRole(staff=staff, role=r) for r in sorted(set(roles))])
        record(
            actor=actor,
            action=events.STAFF_CREATED,
            subject=staff,
            after={"username": username, "agency": agency.code, "roles": sorted(set(roles))},
        )
    return staff
