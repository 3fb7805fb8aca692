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

from dangan.casework import registry
from dangan.casework.models import ApplicantKind, Channel, ServiceRequest
from dangan.certificates import services
from dangan.certificates.models import Certificate, CertificateType
from dangan.certificates.papers import certificate_filename, certificate_pdf, verify_url
from dangan.certificates.selectors import certificate_requests, certificate_types, certificates_visible_to
from dangan.core.errors import NotFound
from dangan.core.pdf import pdf_response


class CertificateOut(serializers.ModelSerializer[Certificate]):
    type_code = serializers.CharField(source="certificate_type.code")
    issuing_agency = serializers.CharField(source="issuing_agency.name")
    request_number = serializers.CharField(source="request.number")
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id", "serial", "title", "type_code", "status", "person_name", "issuing_agency", "issued_on",
            "valid_until", "request_number", "addressee", "purpose", "text", "revoked_at", "revoke_reason",
            "verify_url",
        ]  # fmt: skip

    def get_verify_url(self, obj: Certificate) -> str:
        return verify_url(obj)


class CertificateApplicationOut(serializers.ModelSerializer[ServiceRequest]):
    status_label = serializers.SerializerMethodField()
    type_code = serializers.SerializerMethodField()
    holding_agency = serializers.CharField(source="holding_agency.name")
    accepting_agency = serializers.CharField(source="accepting_agency.name")
    channel = serializers.CharField()
    applicant_kind = serializers.CharField()

    class Meta:
        model = ServiceRequest
        fields = [
            "id", "number", "status", "status_label", "type_code", "channel", "applicant_kind", "applicant_name",
            "holding_agency", "accepting_agency", "submitted_at", "due", "completed_at",
        ]  # fmt: skip

    def get_status_label(self, obj: ServiceRequest) -> str:
        return registry.status_label(obj.service_type, obj.status)

    def get_type_code(self, obj: ServiceRequest) -> str:
        return str((obj.details or {}).get("certificate_type", ""))


class CertificateApplyIn(serializers.Serializer[Any]):
    type_code = serializers.CharField(max_length=30)
    person_id_number = serializers.CharField(max_length=18)
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=100)
    applicant_id_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    documents = serializers.ListField(child=serializers.CharField(max_length=30), max_length=20)
    purpose = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    addressee = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    # A plain string (the service checks it): an enum named "channel" here would collide in the schema.
    channel = serializers.CharField(
        max_length=10, default=Channel.COUNTER, help_text="counter（窗口）或 online（网办）"
    )


class CertificateDecideIn(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=["approved", "rejected", "withdrawn"])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CertificateRevokeIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200)


class CertificateTypeOut(serializers.ModelSerializer[CertificateType]):
    class Meta:
        model = CertificateType
        fields = ["code", "name", "body", "needs_approval", "valid_days", "is_active", "sort_order"]


class CertificateTypeIn(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=50)
    body = serializers.CharField(max_length=5000)
    needs_approval = serializers.BooleanField(default=False)
    valid_days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(default=True)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, default=100)


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ServiceRequest]):
    serializer_class = CertificateApplicationOut
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return certificate_requests(self.request.user, open_only=False)

    @extend_schema(
        summary="受理证明申请（全省通办，R33）", request=CertificateApplyIn, responses={201: CertificateApplicationOut}
    )
    def create(self, request: Request) -> Response:
        data = CertificateApplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        found = services.certificate_apply(actor=request.user, **data.validated_data)
        return Response(CertificateApplicationOut(self.get_queryset().get(pk=found.pk)).data, status=201)

    @extend_schema(summary="依据档案记载出具证明（R10）", request=None, responses={201: CertificateOut})
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str) -> Response:
        certificate = services.certificate_issue(actor=request.user, request_id=int(pk))
        return Response(CertificateOut(certificate).data, status=201)

    @extend_schema(
        summary="审核通过、不予出具或撤回", request=CertificateDecideIn, responses={200: CertificateApplicationOut}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = CertificateDecideIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.certificate_decide(actor=request.user, request_id=int(pk), **data.validated_data)
        return Response(CertificateApplicationOut(self.get_queryset().get(pk=int(pk))).data)


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Certificate]):
    serializer_class = CertificateOut
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[Certificate]:
        return certificates_visible_to(self.request.user)

    @extend_schema(summary="作废证明（记录原因）", request=CertificateRevokeIn, responses={200: CertificateOut})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        data = CertificateRevokeIn(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_revoke(actor=request.user, certificate_id=int(pk), **data.validated_data)
        return Response(CertificateOut(certificate).data)

    @extend_schema(summary="证明（PDF，含核验二维码）", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str) -> HttpResponse:
        certificate = self.get_queryset().filter(pk=int(pk)).first()
        if certificate is None:
            raise NotFound("证明不存在或无权查看")
        return pdf_response(certificate_pdf(certificate), certificate_filename(certificate))


class CertificateTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[CertificateType]):
    serializer_class = CertificateTypeOut
    pagination_class = None

    def get_queryset(self) -> QuerySet[CertificateType]:
        return certificate_types(active_only=False)

    @extend_schema(
        summary="新增或修改证明类型（系统管理员）", request=CertificateTypeIn, responses={200: CertificateTypeOut}
    )
    def create(self, request: Request) -> Response:
        data = CertificateTypeIn(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.certificate_type_save(actor=request.user, **data.validated_data)
        return Response(CertificateTypeOut(saved).data)
