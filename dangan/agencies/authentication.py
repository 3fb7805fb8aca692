"""Authentication that loads everything a staff request needs about its user (the staff record, its agency,
its roles and the agencies it may read) with the user: every staff request needs them, and each extra query
costs more than the join. On PostgreSQL that is one prepared statement; elsewhere the ORM's joined query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import Model
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from dangan.agencies.models import Agency, Role, Staff, StaffRole
from dangan.core import prepared


def _columns(model: type[Model], alias: str) -> tuple[list[str], list[str]]:
    fields = model._meta.concrete_fields
    return [f"{alias}.{connection.ops.quote_name(str(f.column))}" for f in fields], [f.attname for f in fields]


def _instance(model: type[Model], names: list[str], values: tuple[Any, ...]) -> Any:
    return model.from_db(connection.alias, names, values)


def _principal_sql(first: str) -> tuple[str, list[tuple[type[Model], list[str]]]]:
    """SELECT [token,] user, staff, agency columns, the roles and the readable agency ids; `first` is the
    FROM clause's head (the token or the user)."""
    models: list[tuple[type[Model], str]] = [(get_user_model(), "u"), (Staff, "s"), (Agency, "a")]
    if first == "token":
        models.insert(0, (Token, "t"))
    columns: list[str] = []
    layout: list[tuple[type[Model], list[str]]] = []
    for model, alias in models:
        sql_columns, names = _columns(model, alias)
        columns += sql_columns
        layout.append((model, names))
    role, agency = StaffRole._meta.db_table, Agency._meta.db_table
    # readable_agency_ids: a supervisor reads the agency's subtree (paths hold digits and "/" only), others
    # their own agency.
    columns += [
        f"ARRAY(SELECT r.role FROM {role} r WHERE r.staff_id = s.id)",  # noqa: S608  (the models' own names)
        f"CASE WHEN EXISTS(SELECT 1 FROM {role} r WHERE r.staff_id = s.id AND r.role = '{Role.SUPERVISOR.value}') "  # noqa: S608
        f"THEN ARRAY(SELECT x.id FROM {agency} x WHERE x.path LIKE a.path || '%%' ORDER BY x.path) "
        "ELSE ARRAY[a.id] END",
    ]
    users = f"{get_user_model()._meta.db_table} u"
    if first == "token":
        table, where = f"{Token._meta.db_table} t JOIN {users} ON u.id = t.user_id", "t.key = %s"
    else:
        table, where = users, "u.id = %s"
    sql = (
        f"SELECT {', '.join(columns)} FROM {table} "  # noqa: S608  (the models' own names)
        f"LEFT JOIN {Staff._meta.db_table} s ON s.user_id = u.id LEFT JOIN {agency} a ON a.id = s.agency_id "
        f"WHERE {where}"
    )
    return sql, layout


_SQL: dict[str, tuple[str, list[tuple[type[Model], list[str]]]]] = {}


def load_principal(first: str, key: Any) -> tuple[Any, Any] | None:
    """(token or None, user) with staff, agency, roles and readable agencies attached; None if not found.
    PostgreSQL only (arrays); callers fall back to the ORM elsewhere."""
    if first not in _SQL:
        _SQL[first] = _principal_sql(first)
    sql, layout = _SQL[first]
    rows = prepared.fetch(sql, [key])
    if not rows:
        return None
    row = rows[0]
    objects: list[Any] = []
    at = 0
    for model, names in layout:
        values = row[at : at + len(names)]
        at += len(names)
        objects.append(None if values[0] is None else _instance(model, names, values))
    roles, readable = row[at], row[at + 1]
    token = objects.pop(0) if first == "token" else None
    user, staff, agency = objects
    if staff is None:
        get_user_model().staff.related.set_cached_value(user, None)  # type: ignore[attr-defined]
    else:
        staff.agency = agency
        staff._role_cache = frozenset(roles)
        staff.__dict__["_readable_agency_ids"] = list(readable)
        Staff.user.field.set_cached_value(staff, user)
        get_user_model().staff.related.set_cached_value(user, staff)  # type: ignore[attr-defined]
    if token is not None:
        Token.user.field.set_cached_value(token, user)
    return token, user


_KEY_LENGTH = Token._meta.get_field("key").max_length or 40


class StaffTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if len(key) > _KEY_LENGTH or "\x00" in key:  # no such token; a NUL would fail PostgreSQL's text
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if connection.vendor == "postgresql":
            found = load_principal("token", key)
            token, user = found if found is not None else (None, None)
        else:
            token = Token.objects.select_related("user__staff__agency").filter(key=key).first()
            user = token.user if token is not None else None
        if token is None or user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, token)


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        if connection.vendor == "postgresql":
            found = load_principal("user", pk)
            user = found[1] if found is not None else None
        else:
            user = get_user_model()._default_manager.select_related("staff__agency").filter(pk=pk).first()
        return user if user is not None and self.user_can_authenticate(user) else None
