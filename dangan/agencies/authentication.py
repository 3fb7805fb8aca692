"""Authentication that loads the user's staff record and agency in the same query: every staff request
needs them (scope, roles), and each extra round trip costs more than the join."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class StaffTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            token = Token.objects.select_related("user__staff__agency").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = get_user_model()._default_manager.select_related("staff__agency").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
