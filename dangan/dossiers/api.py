from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.core.api import Pagination
from dangan.core.codetables import table
from dangan.core.errors import NotFound
from dangan.core.pdf import pdf_response, render_pdf
from dangan.dossiers import basicinfo, delivery
from dangan.dossiers.lookup import DossierHit, dossier_lookup
from dangan.dossiers.models import Dossier, DossierStatus, EntrustmentType, Gap, GapStatus, Person, SourceKind
from dangan.dossiers.policies import sees_full_id_number
from dangan.dossiers.selectors import dossier_search, gaps_for_follow_up, intake_for_reader
from dangan.dossiers.services import (
    HISTORY_MODELS,
    IntakeInput,
    MissingMaterial,
    dossier_delete_refuse,
    dossier_read,
    dossier_receive,
    history_add,
    person_update,
)


class DossierListOut(serializers.Serializer[DossierHit]):
    """One search hit (`dossiers.lookup`): flat columns, no models."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    barcode = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField(source="masked_id_number", help_text="列表中身份证号码一律脱敏（R43）")
    holding_agency = serializers.CharField()
    status = serializers.ChoiceField(choices=DossierStatus.choices)
    status_label = serializers.CharField()
    received_on = serializers.DateField()


class DossierDetailOut(serializers.ModelSerializer[Dossier]):
    name = serializers.CharField(source="person.name")
    id_number = serializers.SerializerMethodField()  # full or masked by role (R43)
    holding_agency = serializers.CharField(source="holding_agency.short_name")
    status_label = serializers.CharField(source="get_status_display")
    sex = serializers.SerializerMethodField()
    birth_date = serializers.DateField(source="person.birth_date")
    custodian = serializers.CharField(source="custodian.short_name")

    class Meta:
        model = Dossier
        fields = [
            "id",
            "number",
            "barcode",
            "name",
            "id_number",
            "holding_agency",
            "status",
            "status_label",
            "received_on",
            "sex",
            "birth_date",
            "custodian",
            "entrustment_type",
            "source_name",
        ]

    def get_id_number(self, obj: Dossier) -> str:
        user = self.context["request"].user
        return obj.person.id_number if sees_full_id_number(user) else obj.person.masked_id_number

    def get_sex(self, obj: Dossier) -> str:
        return table("sex").label(obj.person.sex)


class BasicInfoItemOut(serializers.Serializer[Any]):
    no = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    mandatory = serializers.BooleanField()
    filled = serializers.BooleanField()
    value = serializers.CharField(allow_blank=True)


class BasicInfoOut(serializers.Serializer[Any]):
    mandatory_filled = serializers.IntegerField()
    mandatory_total = serializers.IntegerField()
    optional_filled = serializers.IntegerField()
    optional_total = serializers.IntegerField()
    items = BasicInfoItemOut(many=True)


class PersonChangesIn(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=50, required=False)
    ethnic_group = serializers.CharField(max_length=2, required=False)
    native_place = serializers.CharField(max_length=50, required=False)
    household_region = serializers.CharField(max_length=6, required=False)
    pre_enrolment_region = serializers.CharField(max_length=6, required=False, allow_blank=True)
    political_status = serializers.CharField(max_length=2, required=False)
    work_started_on = serializers.DateField(required=False)
    person_category = serializers.CharField(max_length=2, required=False)
    phone = serializers.CharField(max_length=20, required=False)
    marital_status = serializers.CharField(max_length=2, required=False, allow_blank=True)
    home_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class HistoryValue(serializers.CharField):
    """A history field's value as text; a JSON true/false (is_highest, 最高学历) arrives as "true"/"false",
    which the service reads as a yes/no (DRF's CharField refuses booleans outright)."""

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool):
            data = "true" if data else "false"
        return str(super().to_internal_value(data))


class HistoryIn(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=sorted(HISTORY_MODELS))
    values = serializers.DictField(child=HistoryValue(max_length=100, allow_blank=True))


def _basic_info_body(request: Request, dossier: Dossier) -> Any:
    person = dossier.person
    full = sees_full_id_number(request.user)
    items = []
    for item in basicinfo.ITEMS:
        value = basicinfo.display(item, person, dossier)
        if item.key == "id_number" and not full:
            value = person.masked_id_number
        filled = basicinfo.is_filled(item, person, dossier)
        items.append(
            {
                "no": item.no,
                "key": item.key,
                "title": item.label,
                "mandatory": item.mandatory,
                "filled": filled,
                "value": value,
            }
        )
    result = basicinfo.completeness(person, dossier)
    body = {
        "mandatory_filled": result.mandatory_filled,
        "mandatory_total": result.mandatory_total,
        "optional_filled": result.optional_filled,
        "optional_total": result.optional_total,
        "items": items,
    }
    return BasicInfoOut(body).data


class DossierViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[Dossier]
):
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[Dossier]:
        return dossier_search(self.request.user, self.request.query_params.get("q", "")[:64])

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return DossierDetailOut if self.action == "retrieve" else DossierListOut

    @extend_schema(
        summary="检索档案（身份证号码、姓名、档案编号或条码）",
        parameters=[OpenApiParameter("q", str, description="检索词")],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        paginator = self.paginator
        assert isinstance(paginator, Pagination)
        limit = paginator.get_limit(request) or paginator.default_limit
        offset = paginator.get_offset(request)
        page = dossier_lookup(request.user, request.query_params.get("q", "")[:64], limit=limit, offset=offset)
        paginator.request, paginator.limit, paginator.offset, paginator.count = request, limit, offset, page.count
        data = DossierListOut(page.hits, many=True).data  # type: ignore[arg-type]
        return paginator.get_paginated_response(data)

    @extend_schema(summary="查看档案（记入审计日志）", responses={200: DossierDetailOut})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        dossier = dossier_read(actor=request.user, dossier_id=int(kwargs["pk"]))
        return Response(DossierDetailOut(dossier, context={"request": request}).data)

    @extend_schema(
        summary="删除档案：一律拒绝并记入审计日志（R6）", responses={403: OpenApiResponse(description="档案不可删除")}
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        dossier_delete_refuse(actor=request.user, dossier_id=int(kwargs["pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)  # pragma: no cover  (the service always raises)

    @extend_schema(summary="基础信息采集项及完整度（R35）", responses={200: BasicInfoOut})
    @action(detail=True, methods=["get"], url_path="basic-info")
    def basic_info(self, request: Request, pk: str) -> Response:
        dossier = dossier_read(actor=request.user, dossier_id=int(pk))
        return Response(_basic_info_body(request, dossier))

    @extend_schema(summary="修改人员基础信息（记入审计日志）", request=PersonChangesIn, responses={200: BasicInfoOut})
    @action(detail=True, methods=["post"], url_path="person")
    def person(self, request: Request, pk: str) -> Response:
        data = PersonChangesIn(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        reason = changes.pop("reason", "")
        person_update(actor=request.user, dossier_id=int(pk), changes=changes, reason=reason)
        return Response(_basic_info_body(request, dossier_read(actor=request.user, dossier_id=int(pk))))

    @extend_schema(
        summary="增加经历（学习、工作、职称、职业资格、党团关系）",
        request=HistoryIn,
        responses={
            201: inline_serializer(
                "HistoryCreated", {"id": serializers.IntegerField(), "kind": serializers.CharField()}
            )
        },
    )
    @action(detail=True, methods=["post"], url_path="history")
    def history(self, request: Request, pk: str) -> Response:
        data = HistoryIn(data=request.data)
        data.is_valid(raise_exception=True)
        model = HISTORY_MODELS[data.validated_data["kind"]]
        allowed = {f.name for f in model._meta.concrete_fields} - {"id", "person", "created_at"}
        values = {k: (v or None if k.endswith("_on") else v) for k, v in data.validated_data["values"].items()}
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise serializers.ValidationError({"values": [f"未知字段：{', '.join(unknown)}"]})
        row = history_add(actor=request.user, dossier_id=int(pk), kind=data.validated_data["kind"], values=values)
        return Response({"id": row.pk, "kind": data.validated_data["kind"]}, status=201)


class MissingIn(serializers.Serializer[Any]):
    material_class = serializers.ChoiceField(choices=[c for c, _ in table("material_class").leaf_choices()])
    title = serializers.CharField(max_length=100)
    consequence = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IntakePersonIn(serializers.Serializer[Any]):
    id_type = serializers.ChoiceField(choices=Person.IdType.choices, default=Person.IdType.RESIDENT_ID)
    id_number = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=50)
    sex = serializers.CharField(max_length=1, required=False)
    birth_date = serializers.DateField(required=False)
    ethnic_group = serializers.CharField(max_length=2)
    native_place = serializers.CharField(max_length=50)
    household_region = serializers.CharField(max_length=6)
    political_status = serializers.CharField(max_length=2)
    work_started_on = serializers.DateField(required=False)
    person_category = serializers.CharField(max_length=2)
    phone = serializers.CharField(max_length=20)


class EducationIn(serializers.Serializer[Any]):
    education = serializers.CharField(max_length=2)
    degree = serializers.CharField(max_length=4, required=False, allow_blank=True, default="")
    school = serializers.CharField(max_length=100)
    major = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    graduated_on = serializers.DateField(required=False, allow_null=True, default=None)


class EmploymentIn(serializers.Serializer[Any]):
    employer_name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")


class IntakeIn(serializers.Serializer[Any]):
    person = IntakePersonIn()
    education = EducationIn(required=False)
    employment = EmploymentIn(required=False)
    party_joined_on = serializers.DateField(required=False, allow_null=True, default=None)
    entrustment_type = serializers.ChoiceField(choices=EntrustmentType.choices)
    source_kind = serializers.ChoiceField(choices=SourceKind.choices)
    source_name = serializers.CharField(max_length=100)
    delivery = serializers.ChoiceField(choices=[w for w, _ in delivery.choices()])
    seal_intact = serializers.BooleanField(default=True)
    anomalies = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    received_on = serializers.DateField()
    missing = MissingIn(many=True, required=False, default=list)
    party_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    acknowledged = serializers.BooleanField(default=False)
    commitment_deadline = serializers.DateField(required=False, allow_null=True, default=None)


class GapOut(serializers.ModelSerializer[Gap]):
    dossier_number = serializers.CharField(source="dossier.number")
    name = serializers.CharField(source="dossier.person.name")

    class Meta:
        model = Gap
        fields = [
            "id",
            "dossier",
            "dossier_number",
            "name",
            "material_class",
            "title",
            "deadline",
            "status",
            "reminders_sent",
        ]


class IntakeOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    dossier = serializers.IntegerField(source="dossier_id")
    number = serializers.CharField(source="dossier.number")
    gaps = GapOut(many=True, source="gaps.all")


class IntakeView(APIView):
    @extend_schema(summary="接收档案（告知承诺、容缺受理）", request=IntakeIn, responses={201: IntakeOut})
    def post(self, request: Request) -> Response:
        data = IntakeIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["missing"] = [MissingMaterial(**m) for m in values["missing"]]
        values["person"] = dict(values["person"])
        intake = dossier_receive(actor=request.user, data=IntakeInput(**values))
        return Response(IntakeOut(intake).data, status=201)


class IntakeNoticeView(APIView):
    @extend_schema(summary="档案材料缺失告知书（PDF）", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        intake = intake_for_reader(request.user, pk)
        gaps = list(intake.gaps.all())
        if not gaps:
            raise NotFound("本次接收没有缺失材料")
        pdf = render_pdf("dossiers/notice_pdf.html", {"intake": intake, "gaps": gaps, "dossier": intake.dossier})
        return pdf_response(pdf, f"档案材料缺失告知书-{intake.dossier.number}.pdf")


class GapViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Gap]):
    serializer_class = GapOut

    def get_queryset(self) -> QuerySet[Gap]:
        status_filter = self.request.query_params.get("status", GapStatus.OPEN)
        return gaps_for_follow_up(self.request.user, status=status_filter)

    @extend_schema(
        summary="缺失材料跟踪清单",
        parameters=[OpenApiParameter("status", str, enum=GapStatus.values, description="默认 open")],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
