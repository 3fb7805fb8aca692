"""The service list with its one-time checklists (R30), built once per process and language."""

import dataclasses

import pytest

from dangan.agencies.models import Role
from dangan.casework import registry


@pytest.mark.rule("R30")
def test_service_types_list_every_registered_type_with_its_checklist(api_client, make_staff):
    api_client.force_authenticate(make_staff("370602", Role.COUNTER_CLERK))
    body = api_client.get("/api/v1/service-types/").json()
    assert [t["code"] for t in body] == [t.code for t in registry.all_types()]
    first = registry.all_types()[0]
    assert body[0]["title"] == str(first.label)
    assert [i["key"] for i in body[0]["checklist"]] == [i.key for i in first.checklist]
    assert all(i["title"] for t in body for i in t["checklist"])


def test_a_type_registered_later_shows_at_once(api_client, make_staff, monkeypatch):
    api_client.force_authenticate(make_staff("370602", Role.COUNTER_CLERK))
    before = api_client.get("/api/v1/service-types/").json()
    extra = dataclasses.replace(registry.all_types()[0], code="zz_test_service", label="测试事项")
    monkeypatch.setattr(registry, "_TYPES", dict(registry._TYPES))  # both put back after the test
    monkeypatch.setattr(registry, "_VERSION", registry._VERSION)
    registry.register(extra)
    after = api_client.get("/api/v1/service-types/").json()
    assert len(after) == len(before) + 1
    assert after[-1]["code"] == "zz_test_service"
    assert after[-1]["title"] == "测试事项"
