"""The storage endpoints, fuzzed as an archive keeper (the project-wide fuzzer acts as an administrator)."""

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

from dangan.agencies.models import Role


@pytest.fixture
def storage_schema(db):
    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def keeper_token(make_staff, make_room, make_dossier):
    from dangan.storage.services import dossier_shelve
    from dangan.storage.tests.conftest import loc

    keeper = make_staff("370600", Role.ARCHIVE_KEEPER, username="storage-fuzzer")
    room = make_room("370600", "库房1", cabinets=((1, 1, 3),))
    dossiers = [make_dossier("370600") for _ in range(3)]
    dossier_shelve(actor=keeper, dossier_id=dossiers[0].pk, location_id=loc(room, 1, 1, 1).pk)
    return Token.objects.create(user=keeper).key


schema = schemathesis.pytest.from_fixture("storage_schema").include(path_regex="^/api/v1/storage/")


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_storage_endpoints_conform_to_the_schema_for_a_keeper(case, keeper_token):
    response = case.call(headers={"Authorization": f"Token {keeper_token}"})
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )


def test_successful_answers_match_the_schema(storage_schema, keeper_token):
    """Every storage endpoint's success answer, checked against its declared schema."""
    from dangan.dossiers.models import Dossier
    from dangan.storage.models import Location, Room

    room = Room.objects.get()
    kept, fresh, third = Dossier.objects.order_by("pk")
    free = Location.objects.filter(room=room, occupant__isnull=True).order_by("position")
    headers = {"Authorization": f"Token {keeper_token}"}
    calls = [
        ("/api/v1/storage/rooms/", "GET", {}, {}, None, 200),
        ("/api/v1/storage/rooms/{room_id}/", "GET", {"room_id": room.pk}, {}, None, 200),
        ("/api/v1/storage/rooms/{room_id}/locations/", "GET", {"room_id": room.pk}, {"cabinet": 1}, None, 200),
        ("/api/v1/storage/rooms/{room_id}/locations/", "POST", {"room_id": room.pk}, {},
         {"cabinet": 2, "tiers": 1, "positions": 2}, 201),
        ("/api/v1/storage/dossiers/{dossier_id}/suggestion/", "GET", {"dossier_id": fresh.pk}, {}, None, 200),
        ("/api/v1/storage/dossiers/{dossier_id}/shelve/", "POST", {"dossier_id": fresh.pk}, {},
         {"location_id": free[0].pk}, 200),
        ("/api/v1/storage/dossiers/{dossier_id}/move/", "POST", {"dossier_id": fresh.pk}, {},
         {"location_id": free[1].pk, "reason": "调整"}, 200),
        ("/api/v1/storage/dossiers/{dossier_id}/location/", "GET", {"dossier_id": third.pk}, {}, None, 200),
        ("/api/v1/storage/dossiers/{dossier_id}/location/", "GET", {"dossier_id": fresh.pk}, {}, None, 200),
        ("/api/v1/storage/dossiers/{dossier_id}/label/", "GET", {"dossier_id": kept.pk}, {}, None, 200),
        ("/api/v1/storage/rooms/{room_id}/cabinets/{cabinet}/labels/", "GET", {"room_id": room.pk, "cabinet": 1}, {},
         None, 200),
        ("/api/v1/storage/scan/", "GET", {}, {"barcode": kept.barcode}, None, 200),
    ]  # fmt: skip
    for path, method, path_parameters, query, body, expected in calls:
        operation = storage_schema[path][method]
        extra = {} if body is None else {"body": body, "media_type": "application/json"}
        case = operation.Case(path_parameters=path_parameters, query=query, headers=headers, **extra)
        response = case.call()
        assert response.status_code == expected, (path, response.text[:300])
        case.validate_response(
            response, checks=[status_code_conformance, content_type_conformance, response_schema_conformance]
        )


def test_stocktake_answers_match_the_schema(storage_schema, keeper_token):
    """库房盘点 (R42): start, scan (new and repeated), progress, finish, report and cancel against the schema."""
    from dangan.dossiers.models import Dossier
    from dangan.storage.models import Room, Stocktake

    room = Room.objects.get()
    kept, fresh, _third = Dossier.objects.order_by("pk")
    headers = {"Authorization": f"Token {keeper_token}"}

    def call(path, method, path_parameters, query, body, expected):
        operation = storage_schema[path][method]
        extra = {} if body is None else {"body": body, "media_type": "application/json"}
        case = operation.Case(path_parameters=path_parameters, query=query, headers=headers, **extra)
        response = case.call()
        assert response.status_code == expected, (path, response.text[:300])
        case.validate_response(
            response, checks=[status_code_conformance, content_type_conformance, response_schema_conformance]
        )
        return response

    call("/api/v1/storage/rooms/{room_id}/stocktakes/", "POST", {"room_id": room.pk}, {}, None, 201)
    stocktake = Stocktake.objects.get()
    sid = {"stocktake_id": stocktake.pk}
    scan = "/api/v1/storage/stocktakes/{stocktake_id}/scans/"
    calls = [
        (scan, "POST", sid, {}, {"location_code": "库房1-01-1-01", "barcode": kept.barcode}, 201),
        (scan, "POST", sid, {}, {"location_code": "库房1-01-1-01", "barcode": kept.barcode}, 200),
        (scan, "POST", sid, {}, {"location_code": "库房1-01-1-02", "barcode": fresh.barcode}, 201),
        (scan, "POST", sid, {}, {"location_code": "库房1-01-1-03", "barcode": "NOPE"}, 201),
        (scan, "POST", sid, {}, {"location_code": "库房1-09-1-01", "barcode": "NOPE"}, 400),
        ("/api/v1/storage/stocktakes/{stocktake_id}/", "GET", sid, {}, None, 200),
        ("/api/v1/storage/stocktakes/{stocktake_id}/report/", "GET", sid, {}, None, 409),
        ("/api/v1/storage/stocktakes/{stocktake_id}/finish/", "POST", sid, {}, None, 200),
        ("/api/v1/storage/stocktakes/{stocktake_id}/report/", "GET", sid, {"kind": "unrecorded"}, None, 200),
        ("/api/v1/storage/stocktakes/{stocktake_id}/report/", "GET", sid, {}, None, 200),
        ("/api/v1/storage/rooms/{room_id}/stocktakes/", "GET", {"room_id": room.pk}, {}, None, 200),
        ("/api/v1/storage/rooms/{room_id}/stocktakes/", "POST", {"room_id": room.pk}, {}, None, 201),
    ]  # fmt: skip
    for path, method, path_parameters, query, body, expected in calls:
        call(path, method, path_parameters, query, body, expected)
    reopened = Stocktake.objects.get(status="open")
    call(
        "/api/v1/storage/stocktakes/{stocktake_id}/cancel/", "POST", {"stocktake_id": reopened.pk}, {},
        {"reason": "误开"}, 200,
    )  # fmt: skip
