"""R41/R43: every operation is logged in an append-only, hash-chained log whose tampering is detected."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from dangan.audit.models import AuditEvent
from dangan.audit.services import record, verify
from dangan.core import dbguards


def _write_events(count=5):
    return [
        record(actor=None, action="test.event", subject=("test", i), before={"n": i}, after={"n": i + 1, "名": "张三"})
        for i in range(count)
    ]


def _tamper(sql, params=()):
    """Change the table behind the application's back, as an intruder with database access would."""
    guard = dbguards.AUDIT_APPEND_ONLY
    dbguards.uninstall(connection, guard)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        dbguards.install(connection, guard)


@pytest.mark.django_db
@pytest.mark.rule("R41")
def test_intact_chain_verifies():
    _write_events()
    report = verify()
    assert report.ok, report.problems
    assert report.checked == 5
    call_command("audit_verify")


@pytest.mark.django_db
@pytest.mark.rule("R41")
def test_edited_entry_is_detected():
    events = _write_events()
    _tamper("UPDATE audit_auditevent SET actor_name = %s WHERE seq = %s", ["冒名", events[2].seq])
    report = verify()
    assert not report.ok
    assert any(f"#{events[2].seq} 的内容与其哈希不符" in p for p in report.problems)
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("audit_verify")


@pytest.mark.django_db
@pytest.mark.rule("R41")
def test_edited_json_payload_is_detected():
    events = _write_events()
    _tamper("UPDATE audit_auditevent SET after = %s WHERE seq = %s", ['{"n": 99}', events[1].seq])
    assert any("被修改" in p for p in verify().problems)


@pytest.mark.django_db
@pytest.mark.rule("R41")
def test_removed_entry_is_detected():
    events = _write_events()
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[2].seq])
    problems = verify().problems
    assert any("缺失" in p for p in problems)
    assert any("链接不符" in p for p in problems)


@pytest.mark.django_db
@pytest.mark.rule("R41")
def test_removed_last_entry_is_detected():
    events = _write_events()
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    assert any("链尾" in p for p in verify().problems)


@pytest.mark.django_db
@pytest.mark.rule("R41")
def test_reordered_entries_are_detected():
    events = _write_events()
    a, b = events[1], events[3]
    # Swap two entries' positions (their sequence numbers) through a free slot.
    _tamper("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", [a.seq])
    _tamper("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [a.seq, b.seq])
    _tamper("UPDATE audit_auditevent SET seq = %s WHERE seq = -1", [b.seq])
    problems = verify().problems
    assert any("链接不符" in p for p in problems)


@pytest.mark.django_db
@pytest.mark.rule("R41")
@pytest.mark.parametrize("sql", ["UPDATE audit_auditevent SET reason = 'x'", "DELETE FROM audit_auditevent"])
def test_database_refuses_edits_and_deletes(sql):
    _write_events(2)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 2
    assert verify().ok


@pytest.mark.django_db
def test_entry_records_request_context():
    from dangan.core import context

    token = context.activate(context.RequestContext(request_id="req-1", ip="10.0.0.8", channel="console"))
    try:
        event = record(actor=None, action="test.ctx", subject=("test", 1), reason="核对")
    finally:
        context.deactivate(token)
    event.refresh_from_db()
    assert (event.ip, event.channel, event.request_id, event.reason) == ("10.0.0.8", "console", "req-1", "核对")
