"""The audit log over the API: administrators and supervisors read their agencies' entries, newest first, by cursor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangan.agencies.models import Role
from dangan.audit.services import record

URL = "/api/v1/audit/events/"


@pytest.fixture
def entries(agencies):
    """Seven entries of 芝罘区, three of 福山区, interleaved."""
    made = []
    for n in range(10):
        code = "370611" if n % 3 == 2 else "370602"
        made.append(record(actor=None, action="test.event", subject=("test", n), agency_id=agencies[code].pk,
                           dossier_id=1000 + n % 2))  # fmt: skip
    return made


@pytest.mark.rule("R41")
def test_an_administrator_pages_its_agency_newest_first_without_counting_the_log(api_client, make_staff, entries):
    api_client.force_authenticate(make_staff("370602", Role.ADMINISTRATOR))
    own = sorted((e.seq for e in entries if e.agency.code == "370602"), reverse=True)
    seen: list[int] = []
    url = URL + "?limit=3"
    with CaptureQueriesContext(connection) as queries:
        while url:
            body = api_client.get(url).json()
            assert "count" not in body
            seen += [e["seq"] for e in body["results"]]
            url = body["next"]
    assert seen == own
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    back = api_client.get(api_client.get(URL + "?limit=3").json()["next"]).json()["previous"]
    assert [e["seq"] for e in api_client.get(back).json()["results"]] == own[:3]


@pytest.mark.rule("R48")
def test_a_supervisor_reads_the_agencies_below_and_filters_by_dossier(api_client, make_staff, entries):
    api_client.force_authenticate(make_staff("370600", Role.SUPERVISOR))
    body = api_client.get(URL, {"limit": 50}).json()
    assert [e["seq"] for e in body["results"]] == sorted((e.seq for e in entries), reverse=True)
    one = api_client.get(URL, {"dossier": "1001"}).json()["results"]
    assert {e["dossier_id"] for e in one} == {1001}
    assert len(one) == 5


def test_other_roles_see_nothing_and_a_bad_cursor_is_a_structured_404(api_client, make_staff, entries):
    api_client.force_authenticate(make_staff("370602", Role.COUNTER_CLERK))
    assert api_client.get(URL).json()["results"] == []
    api_client.force_authenticate(make_staff("370602", Role.ADMINISTRATOR))
    response = api_client.get(URL, {"cursor": "not-a-cursor"})
    assert response.status_code == 404
    assert response.json()["message"]
    seq = entries[0].seq
    assert api_client.get(f"{URL}{seq}/").json()["hash"] == entries[0].hash
