"""Writing to the audit log: called by every service inside its own transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from dangan.audit import chain
from dangan.audit.models import AuditChainHead, AuditEvent
from dangan.core import context


def _actor_facts(actor: Any) -> tuple[int | None, str, int | None]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "", None
    staff = getattr(actor, "staff", None) if hasattr(actor, "staff") else None
    name = getattr(staff, "full_name", "") or actor.get_username()
    return actor.pk, name, getattr(staff, "agency_id", None)


def _subject_facts(subject: models.Model | tuple[str, Any]) -> tuple[str, str]:
    if isinstance(subject, tuple):
        # Free-form subjects (a typed-in username) are cut to the column's width.
        return str(subject[0])[:64], str(subject[1])[:64]
    return subject._meta.label_lower, str(subject.pk)


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Created by migration; recreated only on an emptied database (tests' flush).
        AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": chain.GENESIS})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def record(
    *,
    actor: Any,
    action: str,
    subject: models.Model | tuple[str, Any],
    dossier_id: int | None = None,
    reason: str = "",
    before: Any = None,
    after: Any = None,
    agency_id: int | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """Append one entry; joins the caller's transaction (or opens one)."""
    ctx = context.current()
    actor_id, name, staff_agency_id = _actor_facts(actor)
    subject_type, subject_id = _subject_facts(subject)
    # No savepoint: an entry that cannot be written must fail the caller's whole operation anyway.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_name=(actor_name if actor_name is not None else name)[:150],
            agency_id=agency_id if agency_id is not None else staff_agency_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            dossier_id=dossier_id,
            channel=ctx.channel,
            ip=ctx.ip,
            request_id=ctx.request_id,
            reason=reason,
            before=chain.jsonable(before),
            after=chain.jsonable(after),
            prev_hash=head.hash,
        )
        event.hash = chain.compute_hash(event.prev_hash, chain.payload_of(event))
        event.save(force_insert=True)
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, chunk_size: int = 2000) -> VerifyReport:
    """Walk the whole log in order and report edited, removed, inserted or reordered entries."""
    report = VerifyReport()
    expected_prev = chain.GENESIS
    expected_seq = 1
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for event in events:
        report.checked += 1
        if event.seq != expected_seq:
            report.problems.append(
                f"序号 {expected_seq} 处缺失 {event.seq - expected_seq} 条记录（下一条为 #{event.seq}）"
            )
        if event.prev_hash != expected_prev:
            report.problems.append(f"#{event.seq} 与前一条记录的链接不符（记录被删除、插入或调换）")
        if chain.compute_hash(event.prev_hash, chain.payload_of(event)) != event.hash:
            report.problems.append(f"#{event.seq} 的内容与其哈希不符（记录被修改）")
        expected_prev = event.hash
        expected_seq = event.seq + 1
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(seq=0, hash=chain.GENESIS)
    if head.seq != expected_seq - 1 or head.hash != expected_prev:
        report.problems.append(f"链尾应为 #{head.seq}，实际为 #{expected_seq - 1}（末尾记录被删除或追加）")
    return report
