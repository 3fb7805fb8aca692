"""Input and output serializers of the lending API, kept apart: inputs validate shape, services decide."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from dangan.casework.models import ApplicantKind
from dangan.casework.registry import ServiceType
from dangan.lending import purposes
from dangan.lending.models import (
    BorrowerKind,
    Consultation,
    CopyKind,
    CopyRequest,
    Loan,
    Reader,
    ReadingSession,
    Relative,
    RelativeRelation,
)
from dangan.lending.service_types import CONSULTATION, LOAN

MAX_ID = 2**31 - 1


def _documents(service_type: ServiceType) -> serializers.ListField:
    keys = [i.key for i in service_type.checklist]
    return serializers.ListField(
        child=serializers.ChoiceField(choices=keys), max_length=10, help_text="已收取的材料（清单键）"
    )


def _text(max_length: int, *, optional: bool = False, **kwargs: Any) -> serializers.CharField:
    if optional:
        return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)
    return serializers.CharField(max_length=max_length, **kwargs)


# --- Outputs ---------------------------------------------------------------------------------------


class RelativeOut(serializers.ModelSerializer[Relative]):
    id_number = serializers.CharField(source="masked_id_number", help_text="脱敏的身份证号码")

    class Meta:
        model = Relative
        fields = ["id", "name", "id_number", "relation", "declared_at", "withdrawn_at", "withdrawn_reason"]


class ReaderOut(serializers.ModelSerializer[Reader]):
    id_number = serializers.CharField(source="masked_id_number", help_text="脱敏的身份证号码")

    class Meta:
        model = Reader
        fields = ["id", "name", "id_number", "post"]


class CopyOut(serializers.ModelSerializer[CopyRequest]):
    copy_kind = serializers.ChoiceField(source="kind", choices=CopyKind.choices, read_only=True)

    class Meta:
        model = CopyRequest
        fields = [
            "id", "session", "copy_kind", "description", "pages", "reason", "status", "requested_at", "decided_at",
            "decision_note", "certified_on", "certification",
        ]  # fmt: skip


class SessionOut(serializers.ModelSerializer[ReadingSession]):
    room_name = serializers.CharField(source="room.name")
    readers: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    copies = CopyOut(many=True, read_only=True)

    class Meta:
        model = ReadingSession
        fields = [
            "id", "consultation", "room", "room_name", "readers", "scope", "readers_signed", "started_at", "ended_at",
            "note", "copies",
        ]  # fmt: skip


class ConsultationOut(serializers.ModelSerializer[Consultation]):
    number = serializers.CharField(source="request.number")
    status = serializers.CharField(source="request.status")
    person_name = serializers.CharField(source="dossier.person.name")
    purpose_text = serializers.SerializerMethodField()
    readers = ReaderOut(many=True, read_only=True)
    sessions = SessionOut(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id", "number", "status", "dossier", "person_name", "organisation_name", "organisation_code",
            "letter_number", "letter_date", "reason", "content", "purpose", "purpose_text", "approved_scope",
            "decided_at", "decision_note", "readers", "sessions",
        ]  # fmt: skip

    def get_purpose_text(self, obj: Consultation) -> str:
        return purposes.purpose_label(obj.purpose)


class CatalogueItemOut(serializers.Serializer[Any]):
    n = serializers.IntegerField()
    class_code = serializers.CharField()
    sequence = serializers.IntegerField()
    title = serializers.CharField()
    formed = serializers.CharField()
    copies = serializers.IntegerField()
    pages = serializers.IntegerField()
    remarks = serializers.CharField()


class LoanOut(serializers.ModelSerializer[Loan]):
    number = serializers.CharField(source="request.number")
    status = serializers.CharField(source="request.status")
    person_name = serializers.CharField(source="dossier.person.name")
    catalogue = CatalogueItemOut(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Loan
        fields = [
            "id", "number", "status", "state", "dossier", "person_name", "borrower_kind", "borrower_name",
            "borrower_code", "letter_number", "letter_date", "purpose", "handler_name", "undertaking", "decided_at",
            "decision_note", "lent_on", "due_on", "seal_number", "material_count", "page_count", "catalogue",
            "returned_at", "seal_intact", "discrepancy", "escalated_at", "overdue_since", "overdue",
        ]  # fmt: skip

    def get_overdue(self, obj: Loan) -> bool:
        today = self.context.get("today")
        return bool(today and obj.is_overdue(today))


# --- Inputs ----------------------------------------------------------------------------------------


class RelativeIn(serializers.Serializer[Any]):
    name = _text(50)
    id_number = _text(18)
    relation = serializers.ChoiceField(choices=RelativeRelation.choices)


class ReasonIn(serializers.Serializer[Any]):
    reason = _text(200)


class ReaderIn(serializers.Serializer[Any]):
    name = _text(50)
    id_number = _text(18)
    post = _text(50)


class ConsultationIn(serializers.Serializer[Any]):
    person_id_number = _text(18, help_text="被查阅人身份证号码")
    applicant_kind = serializers.ChoiceField(
        choices=ApplicantKind.choices, default=ApplicantKind.ORGANISATION, help_text="只受理单位（组织），R13"
    )
    organisation_name = _text(100)
    organisation_code = _text(32, help_text="统一社会信用代码或单位代码")
    applicant_phone = _text(20, optional=True)
    letter_number = _text(40, help_text="查阅函编号")
    letter_date = serializers.DateField()
    reason = _text(200, help_text="查阅事由")
    content = _text(500, help_text="查阅内容")
    purpose = serializers.ChoiceField(choices=purposes.choices(), help_text="查阅目的（规定事由之一，R13）")
    readers = serializers.ListField(child=ReaderIn(), max_length=10, help_text="查阅人（两人以上）")
    documents = _documents(CONSULTATION)


class LendingNoteIn(serializers.Serializer[Any]):
    note = _text(500, optional=True)


class LendingRequiredNoteIn(serializers.Serializer[Any]):
    note = _text(500, help_text="理由")


class ApproveConsultationIn(serializers.Serializer[Any]):
    scope = _text(500, optional=True, help_text="批准查阅范围；不填则按申请内容")
    note = _text(500, optional=True)


class SessionIn(serializers.Serializer[Any]):
    room = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="阅档室（房间 id，R40）")
    reader_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=10, help_text="到场查阅人 id"
    )
    scope = _text(500, help_text="本次查阅范围")
    readers_signed = serializers.BooleanField(help_text="查阅人已在登记簿签名")


class SessionCloseIn(serializers.Serializer[Any]):
    note = _text(200, optional=True)


class CopyIn(serializers.Serializer[Any]):
    copy_kind = serializers.ChoiceField(choices=CopyKind.choices, help_text="摘录或复制")
    description = _text(200)
    pages = serializers.IntegerField(min_value=1, max_value=9999)
    reason = _text(200)


class CopyDecisionIn(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    note = _text(200, optional=True, help_text="不予批准时必填")


class LoanIn(serializers.Serializer[Any]):
    person_id_number = _text(18)
    borrower_kind = serializers.ChoiceField(choices=BorrowerKind.choices)
    borrower_name = _text(100)
    borrower_code = _text(32, help_text="统一社会信用代码或单位代码")
    letter_number = _text(40, optional=True, help_text="借档函编号（R15，必填）")
    letter_date = serializers.DateField()
    purpose = _text(200)
    handler_name = _text(50)
    handler_id_number = _text(18)
    handler_phone = _text(20, optional=True)
    no_lending_on = serializers.BooleanField(help_text="借档单位承诺不转借（R14）")
    documents = _documents(LOAN)


class LendIn(serializers.Serializer[Any]):
    seal_number = _text(40, help_text="密封封签编号")


class ReturnItemIn(serializers.Serializer[Any]):
    n = serializers.IntegerField(min_value=1, max_value=100000, help_text="借出目录中的序号")
    present = serializers.BooleanField()
    pages = serializers.IntegerField(min_value=0, max_value=99999)


class ReturnIn(serializers.Serializer[Any]):
    seal_intact = serializers.BooleanField(help_text="密封完好、封签无误（R15）")
    items = serializers.ListField(child=ReturnItemIn(), max_length=5000, help_text="逐项核对借出目录")
    note = _text(500, optional=True)
