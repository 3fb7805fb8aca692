"""REST endpoints, one per action; they validate shape and call the same services as the console."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from dangan.core.errors import NotFound
from dangan.lending import selectors, services
from dangan.lending.api.serializers import (
    ApproveConsultationIn,
    ConsultationIn,
    ConsultationOut,
    CopyDecisionIn,
    CopyIn,
    CopyOut,
    LendIn,
    LendingNoteIn,
    LendingRequiredNoteIn,
    LoanIn,
    LoanOut,
    ReasonIn,
    RelativeIn,
    RelativeOut,
    ReturnIn,
    SessionCloseIn,
    SessionIn,
    SessionOut,
)
from dangan.lending.models import Consultation, CopyRequest, Loan, ReadingSession, Relative

ID = r"\d{1,18}"


def _valid(serializer_class: type[Serializer[Any]], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class RelativeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Relative]):
    """The logged-in staff member's own recusal declarations (回避, R13)."""

    serializer_class = RelativeOut
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Relative]:
        return selectors.relatives_of(self.request.user)

    @extend_schema(summary="申报回避亲属（R13）", request=RelativeIn, responses={201: RelativeOut})
    def create(self, request: Request) -> Response:
        relative = services.relative_declare(actor=request.user, **_valid(RelativeIn, request))
        return Response(RelativeOut(relative).data, status=201)

    @extend_schema(summary="撤回回避亲属申报（须说明原因）", request=ReasonIn, responses={200: RelativeOut})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        relative = services.relative_withdraw(actor=request.user, relative_id=int(pk), **_valid(ReasonIn, request))
        return Response(RelativeOut(relative).data)


class ConsultationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Consultation]):
    serializer_class = ConsultationOut
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Consultation]:
        sessions = ReadingSession.objects.select_related("room").prefetch_related("readers", "copies")
        return selectors.consultations_visible_to(self.request.user).prefetch_related(
            "readers", Prefetch("sessions", queryset=sessions)
        )

    def _out(self, pk: int) -> Response:
        return Response(ConsultationOut(self.get_queryset().get(pk=pk)).data)

    @extend_schema(summary="受理单位查阅申请（仅限单位，两人以上查阅，R13）", request=ConsultationIn,
                   responses={201: ConsultationOut})  # fmt: skip
    def create(self, request: Request) -> Response:
        consultation = services.consultation_apply(actor=request.user, **_valid(ConsultationIn, request))
        return Response(ConsultationOut(self.get_queryset().get(pk=consultation.pk)).data, status=201)

    @extend_schema(summary="批准查阅（审批人不得是受理人）", request=ApproveConsultationIn,
                   responses={200: ConsultationOut})  # fmt: skip
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        services.consultation_approve(actor=request.user, consultation_id=int(pk),
                                      **_valid(ApproveConsultationIn, request))  # fmt: skip
        return self._out(int(pk))

    @extend_schema(summary="不予批准查阅", request=LendingRequiredNoteIn, responses={200: ConsultationOut})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        services.consultation_reject(
            actor=request.user, consultation_id=int(pk), **_valid(LendingRequiredNoteIn, request)
        )
        return self._out(int(pk))

    @extend_schema(summary="撤回查阅申请", request=LendingNoteIn, responses={200: ConsultationOut})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        services.consultation_withdraw(actor=request.user, consultation_id=int(pk), **_valid(LendingNoteIn, request))
        return self._out(int(pk))

    @extend_schema(summary="查阅结束", request=LendingNoteIn, responses={200: ConsultationOut})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        services.consultation_close(actor=request.user, consultation_id=int(pk), **_valid(LendingNoteIn, request))
        return self._out(int(pk))

    @extend_schema(summary="登记进入阅档室查阅（R40，查阅登记）", request=SessionIn, responses={201: SessionOut})
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk: str) -> Response:
        data = _valid(SessionIn, request)
        session = services.session_open(
            actor=request.user, consultation_id=int(pk), room_id=data["room"], reader_ids=data["reader_ids"],
            scope=data["scope"], readers_signed=data["readers_signed"],
        )  # fmt: skip
        return Response(SessionOut(session).data, status=201)


class SessionViewSet(viewsets.GenericViewSet[ReadingSession]):
    """Reading sessions of a consultation: the register (who, in and out, scope) and extracts or copies."""

    serializer_class = SessionOut
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[ReadingSession]:
        return ReadingSession.objects.filter(consultation__in=selectors.consultations_visible_to(self.request.user))

    @extend_schema(summary="登记离开阅档室", request=SessionCloseIn, responses={200: SessionOut})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        session = services.session_close(actor=request.user, session_id=int(pk), **_valid(SessionCloseIn, request))
        return Response(SessionOut(session).data)

    @extend_schema(summary="申请摘录或复制（须经批准）", request=CopyIn, responses={201: CopyOut})
    @action(detail=True, methods=["post"])
    def copies(self, request: Request, pk: str) -> Response:
        data = _valid(CopyIn, request)
        copy = services.copy_request(
            actor=request.user, session_id=int(pk), kind=data["copy_kind"], description=data["description"],
            pages=data["pages"], reason=data["reason"],
        )  # fmt: skip
        return Response(CopyOut(copy).data, status=201)


class CopyViewSet(viewsets.GenericViewSet[CopyRequest]):
    serializer_class = CopyOut
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[CopyRequest]:
        visible = selectors.consultations_visible_to(self.request.user)
        return CopyRequest.objects.filter(session__consultation__in=visible)

    @extend_schema(summary="审批摘录或复制", request=CopyDecisionIn, responses={200: CopyOut})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        copy = services.copy_decide(actor=request.user, copy_id=int(pk), **_valid(CopyDecisionIn, request))
        return Response(CopyOut(copy).data)

    @extend_schema(summary="核对复制件并加注“此件与档案原件核对无误”", request=None, responses={200: CopyOut})
    @action(detail=True, methods=["post"])
    def certify(self, request: Request, pk: str) -> Response:
        copy = services.copy_certify(actor=request.user, copy_id=int(pk))
        return Response(CopyOut(copy).data)


class LoanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Loan]):
    serializer_class = LoanOut
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Loan]:
        return selectors.loans_visible_to(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _out(self, pk: int) -> Response:
        loan = self.get_queryset().filter(pk=pk).first()
        if loan is None:
            raise NotFound("借阅记录不存在或无权查看")
        return Response(LoanOut(loan, context=self.get_serializer_context()).data)

    @extend_schema(summary="受理单位借阅申请（凭借档函，承诺不转借，R14、R15）", request=LoanIn,
                   responses={201: LoanOut})  # fmt: skip
    def create(self, request: Request) -> Response:
        loan = services.loan_apply(actor=request.user, **_valid(LoanIn, request))
        response = self._out(loan.pk)
        response.status_code = 201
        return response

    @extend_schema(summary="批准借阅（审批人不得是受理人，R14）", request=LendingNoteIn, responses={200: LoanOut})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        services.loan_approve(actor=request.user, loan_id=int(pk), **_valid(LendingNoteIn, request))
        return self._out(int(pk))

    @extend_schema(summary="不予批准借阅", request=LendingRequiredNoteIn, responses={200: LoanOut})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        services.loan_reject(actor=request.user, loan_id=int(pk), **_valid(LendingRequiredNoteIn, request))
        return self._out(int(pk))

    @extend_schema(summary="撤回借阅申请", request=LendingNoteIn, responses={200: LoanOut})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        services.loan_withdraw(actor=request.user, loan_id=int(pk), **_valid(LendingNoteIn, request))
        return self._out(int(pk))

    @extend_schema(summary="密封借出（形成借出材料目录，确定应还日期）", request=LendIn, responses={200: LoanOut})
    @action(detail=True, methods=["post"])
    def lend(self, request: Request, pk: str) -> Response:
        services.loan_lend(actor=request.user, loan_id=int(pk), **_valid(LendIn, request))
        return self._out(int(pk))

    @extend_schema(summary="归还：当面核对目录和密封，差异登记并上报", request=ReturnIn, responses={200: LoanOut})
    @action(detail=True, methods=["post"], url_path="return")
    def give_back(self, request: Request, pk: str) -> Response:
        data = _valid(ReturnIn, request)
        services.loan_return(
            actor=request.user, loan_id=int(pk), seal_intact=data["seal_intact"],
            items=[dict(item) for item in data["items"]], note=data["note"],
        )  # fmt: skip
        return self._out(int(pk))

    @extend_schema(summary="逾期未还的借阅（每日）", responses={200: LoanOut(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def overdue(self, request: Request) -> Response:
        loans = selectors.loans_overdue(request.user, today=timezone.localdate())[:500]
        return Response(LoanOut(loans, many=True, context=self.get_serializer_context()).data)
