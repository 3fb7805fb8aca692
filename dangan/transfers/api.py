from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangan.agencies.models import Agency
from dangan.casework.models import Channel
from dangan.core.errors import NotFound
from dangan.core.pdf import pdf_response
from dangan.dossiers import delivery
from dangan.transfers import services
from dangan.transfers.models import RequesterKind, RequestLetter, Transfer
from dangan.transfers.papers import letter_pdf, transfer_papers_pdf
from dangan.transfers.selectors import letters_of, transfers_visible_to


def _agency_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField[Agency]:
    return serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(holds_dossiers=True), **kwargs)


class TransferOut(serializers.ModelSerializer[Transfer]):
    name = serializers.CharField(source="dossier.person.name")
    status = serializers.CharField(source="request.status")
    request_number = serializers.CharField(source="request.number")
    from_agency = serializers.CharField(source="from_agency.name")
    destination = serializers.CharField()

    class Meta:
        model = Transfer
        fields = [
            "id", "serial", "kind", "name", "status", "request_number", "from_agency", "destination", "reason",
            "requester_kind", "delivery", "tracking_no", "dispatched_on", "received_at", "slip_returned_on",
        ]  # fmt: skip


class ApplyIn(serializers.Serializer[Any]):
    person_id_number = serializers.CharField(max_length=18)
    requester_kind = serializers.ChoiceField(choices=RequesterKind.choices)
    applicant_name = serializers.CharField(max_length=100)
    applicant_id_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    to_agency = _agency_field(required=False, allow_null=True, default=None)
    to_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    to_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=200)
    letter_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    documents = serializers.ListField(child=serializers.CharField(max_length=30), max_length=20)
    channel = serializers.ChoiceField(choices=[Channel.COUNTER, Channel.ONLINE], default=Channel.COUNTER)
    graduate_labour_ended = serializers.BooleanField(default=False)


class NoteIn(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DispatchIn(serializers.Serializer[Any]):
    way = serializers.ChoiceField(choices=[w for w, _ in delivery.choices()])
    tracking_no = serializers.CharField(max_length=40)
    dispatched_on = serializers.DateField()
    items = serializers.IntegerField(min_value=1, max_value=9999)


class ReceiveIn(serializers.Serializer[Any]):
    arrived_by = serializers.ChoiceField(choices=[w for w, _ in delivery.choices()])
    seal_intact = serializers.BooleanField()
    catalogue_matches = serializers.BooleanField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SlipIn(serializers.Serializer[Any]):
    returned_on = serializers.DateField()
    signed_by = serializers.CharField(max_length=100)


class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Transfer]):
    serializer_class = TransferOut
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[Transfer]:
        return transfers_visible_to(self.request.user)

    def _out(self, pk: int) -> Response:
        return Response(TransferOut(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="受理档案转出申请（本人、受托人或用人单位，R6）", request=ApplyIn, responses={201: TransferOut}
    )
    def create(self, request: Request) -> Response:
        data = ApplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = services.transfer_apply(actor=request.user, **data.validated_data)
        return Response(TransferOut(transfer).data, status=201)

    @extend_schema(summary="审核转出申请", request=NoteIn, responses={200: TransferOut})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        data = NoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.transfer_approve(actor=request.user, transfer_id=int(pk), **data.validated_data)
        return self._out(int(pk))

    @extend_schema(summary="密封发出（严禁个人自带，R12）", request=DispatchIn, responses={200: TransferOut})
    @action(detail=True, methods=["post"], url_path="dispatch")
    def send(self, request: Request, pk: str) -> Response:
        data = DispatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.transfer_dispatch(actor=request.user, transfer_id=int(pk), **data.validated_data)
        return self._out(int(pk))

    @extend_schema(summary="接收机构核验并确认接收", request=ReceiveIn, responses={200: TransferOut})
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: str) -> Response:
        data = ReceiveIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.transfer_receive(actor=request.user, transfer_id=int(pk), **data.validated_data)
        return self._out(int(pk))

    @extend_schema(summary="登记平台外接收单位退回的回执", request=SlipIn, responses={200: TransferOut})
    @action(detail=True, methods=["post"])
    def slip(self, request: Request, pk: str) -> Response:
        data = SlipIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.transfer_register_slip(actor=request.user, transfer_id=int(pk), **data.validated_data)
        return self._out(int(pk))

    @extend_schema(summary="存根、转递通知单和回执（PDF）", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def papers(self, request: Request, pk: str) -> HttpResponse:
        transfer = self.get_queryset().filter(pk=int(pk)).first()
        if transfer is None:
            raise NotFound("转递记录不存在或无权查看")
        return pdf_response(transfer_papers_pdf(transfer), f"转递通知单-{transfer.serial}.pdf")


class LetterOut(serializers.ModelSerializer[RequestLetter]):
    addressee = serializers.CharField()

    class Meta:
        model = RequestLetter
        fields = ["id", "number", "person_name", "addressee", "reason", "issued_at"]


class LetterIn(serializers.Serializer[Any]):
    person_name = serializers.CharField(max_length=50)
    person_id_number = serializers.CharField(max_length=18)
    reason = serializers.CharField(max_length=200)
    holder_agency = _agency_field(required=False, allow_null=True, default=None)
    holder_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class LetterViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[RequestLetter]):
    serializer_class = LetterOut
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[RequestLetter]:
        return letters_of(self.request.user)

    @extend_schema(summary="开具调档函", request=LetterIn, responses={201: LetterOut})
    def create(self, request: Request) -> Response:
        data = LetterIn(data=request.data)
        data.is_valid(raise_exception=True)
        letter = services.letter_issue(actor=request.user, **data.validated_data)
        return Response(LetterOut(letter).data, status=201)

    @extend_schema(
        summary="调档函及信封标签（PDF，含二维码）", responses={(200, "application/pdf"): OpenApiTypes.BINARY}
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str) -> HttpResponse:
        letter = self.get_queryset().filter(pk=int(pk)).first()
        if letter is None:
            raise NotFound("调档函不存在或无权查看")
        return pdf_response(letter_pdf(letter), f"调档函-{letter.number}.pdf")
