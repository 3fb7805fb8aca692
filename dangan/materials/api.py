"""REST endpoints: siblings of the console views, calling the same services; one endpoint per action."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.core.codetables import table
from dangan.materials import catalogue, formed, selectors, services
from dangan.materials.models import Material, MaterialSource
from dangan.materials.workflow import Decision, ReturnReason

MAX_ID = 2**63 - 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MaterialOut(serializers.Serializer[Material]):
    id = serializers.IntegerField()
    dossier = serializers.IntegerField(source="dossier_id")
    material_class = serializers.CharField(help_text="类号（类或小类）")
    class_name = serializers.CharField(help_text="类名")
    title = serializers.CharField(help_text="材料名称")
    formed_on = serializers.DateField(allow_null=True, help_text="材料制成时间（按精度取该年或该月的第一天）")
    formed_precision = serializers.CharField(help_text="时间精度：day、month、year、undated")
    formed = serializers.CharField(source="formed_display", help_text="材料制成时间，年.月.日（按已知精度）")
    copies = serializers.IntegerField(help_text="份数")
    pages = serializers.IntegerField(help_text="页数")
    # Declared fields shadow Field.source only in the stubs; DRF's metaclass moves them out of the class.
    source = serializers.CharField(help_text="材料来源：employer、school、person、agency、other")  # type: ignore[assignment]
    source_name = serializers.CharField(help_text="来源单位")
    received_on = serializers.DateField(help_text="收到日期")
    received_by = serializers.SerializerMethodField(help_text="接收人")
    volume = serializers.IntegerField(help_text="卷")
    status = serializers.CharField(
        help_text="状态：received 待鉴别、accepted 鉴别合格待归档、filed 已归档、returned 已退回"
    )
    status_label = serializers.CharField(source="get_status_display")
    return_reason = serializers.CharField(help_text="退回原因（未退回时为空）")
    return_reason_label = serializers.CharField(source="get_return_reason_display")
    appraisal_note = serializers.CharField(help_text="鉴别意见")
    appraised_at = serializers.DateTimeField(allow_null=True)
    sequence = serializers.IntegerField(allow_null=True, help_text="类内序号（归档后才有）")
    filed_at = serializers.DateTimeField(allow_null=True)
    remarks = serializers.CharField(help_text="备注")
    abolished_kind = serializers.CharField(allow_null=True, help_text="属于政策已取消的材料时的说明（R20），否则为空")

    def get_received_by(self, obj: Material) -> str:
        staff = getattr(obj.received_by, "staff", None)
        return str(getattr(staff, "full_name", "") or obj.received_by.get_username())


class MaterialReceiveIn(serializers.Serializer[Any]):
    dossier = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="档案ID")
    material_class = serializers.ChoiceField(
        choices=[c for c, _ in table("material_class").leaf_choices()], help_text="类号（有小类的须填小类）"
    )
    title = serializers.CharField(max_length=200, help_text="材料名称")
    formed_on = serializers.DateField(
        allow_null=True, required=False, default=None, help_text="材料制成时间；只知年份或年月时取该年或该月第一天"
    )
    formed_precision = serializers.ChoiceField(choices=formed.Precision.choices, help_text="时间精度")
    copies = serializers.IntegerField(min_value=1, max_value=services.MAX_COPIES, default=1, help_text="份数")
    pages = serializers.IntegerField(min_value=1, max_value=services.MAX_PAGES, help_text="页数")
    source = serializers.ChoiceField(choices=MaterialSource.choices, help_text="材料来源")  # type: ignore[assignment]
    source_name = serializers.CharField(max_length=100, allow_blank=True, default="", help_text="来源单位")
    received_on = serializers.DateField(help_text="收到日期")
    volume = serializers.IntegerField(min_value=1, max_value=services.MAX_VOLUME, default=1, help_text="卷")
    remarks = serializers.CharField(max_length=200, allow_blank=True, default="", help_text="备注")
    gap = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True, required=False, default=None,
        help_text="本材料补齐的接收时缺失材料记录ID（R11）",
    )  # fmt: skip


class MaterialListQuery(serializers.Serializer[Any]):
    dossier = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class MaterialAppraiseIn(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=Decision.choices, help_text="accept 合格；return 退回")
    return_reason = serializers.ChoiceField(
        choices=ReturnReason.choices, required=False, allow_blank=True, default="", help_text="退回原因（退回时必填）"
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="鉴别意见")


class CatalogueRowOut(serializers.Serializer[Any]):
    class_code = serializers.CharField(help_text="类号")
    sequence = serializers.IntegerField(help_text="序号")
    title = serializers.CharField(help_text="材料名称")
    formed = serializers.CharField(help_text="材料制成时间（年.月.日）")
    copies = serializers.IntegerField(help_text="份数")
    pages = serializers.IntegerField(help_text="页数")
    remarks = serializers.CharField(help_text="备注")


class CatalogueOut(serializers.Serializer[Any]):
    dossier = serializers.IntegerField()
    number = serializers.CharField(help_text="档案编号")
    name = serializers.CharField(help_text="姓名")
    rows = CatalogueRowOut(many=True)


def _out(material: Material) -> dict[str, Any]:
    return dict(MaterialOut(material).data)


class MaterialListCreateView(generics.ListCreateAPIView[Material]):
    serializer_class = MaterialOut

    def get_queryset(self) -> QuerySet[Material]:
        return Material.objects.none()  # the list is opened through an audited service below

    @extend_schema(
        summary="档案的材料清单（按类排列，记入审计日志）",
        parameters=[OpenApiParameter("dossier", int, required=True, description="档案ID")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = MaterialListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        dossier = services.dossier_materials_read(actor=request.user, dossier_id=query.validated_data["dossier"])
        page = self.paginate_queryset(selectors.materials_of(dossier))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="登记收到的材料（可同时补齐接收时的缺失材料）", request=MaterialReceiveIn, responses={201: MaterialOut}
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = MaterialReceiveIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        dossier_id, gap_id = data.pop("dossier"), data.pop("gap")
        material = services.material_receive(
            actor=request.user, dossier_id=dossier_id, data=services.MaterialInput(**data), gap_id=gap_id
        )
        return Response(_out(material), status=status.HTTP_201_CREATED)


class MaterialDetailView(APIView):
    @extend_schema(summary="查看材料（记入审计日志）", responses={200: MaterialOut})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_out(services.material_read(actor=request.user, material_id=pk)))


class MaterialAppraiseView(APIView):
    @extend_schema(
        summary="鉴别材料：合格或退回（接收人不能鉴别；政策已取消的材料不能合格，R20）",
        request=MaterialAppraiseIn,
        responses={200: MaterialOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        body = MaterialAppraiseIn(data=request.data)
        body.is_valid(raise_exception=True)
        material = services.material_appraise(actor=request.user, material_id=pk, **body.validated_data)
        return Response(_out(material))


class MaterialFileView(APIView):
    @extend_schema(summary="归档材料：按制成时间排入其类并编号", request=None, responses={200: MaterialOut})
    def post(self, request: Request, pk: int) -> Response:
        return Response(_out(services.material_file(actor=request.user, material_id=pk)))


class CatalogueView(APIView):
    @extend_schema(summary="档案目录（记入审计日志）", responses={200: CatalogueOut})
    def get(self, request: Request, dossier_id: int) -> Response:
        dossier = services.catalogue_read(actor=request.user, dossier_id=dossier_id, fmt="json")
        rows = [CatalogueRowOut(row).data for row in selectors.catalogue_rows(dossier)]
        return Response({"dossier": dossier.pk, "number": dossier.number, "name": dossier.person.name, "rows": rows})


class _AlwaysNegotiate(BaseContentNegotiation):
    """Files are not rendered by DRF; errors always come back as JSON, whatever the Accept header asks."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> Any:
        first = next(iter(renderers))
        return (first, first.media_type)


class CataloguePdfView(APIView):
    content_negotiation_class = _AlwaysNegotiate

    @extend_schema(
        summary="打印档案目录（PDF，记入审计日志）",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="目录PDF")},
    )
    def get(self, request: Request, dossier_id: int) -> HttpResponseBase:
        dossier = services.catalogue_read(actor=request.user, dossier_id=dossier_id, fmt="pdf")
        return catalogue.catalogue_pdf_response(dossier)


class CatalogueXlsxView(APIView):
    content_negotiation_class = _AlwaysNegotiate

    @extend_schema(
        summary="导出档案目录（Excel，记入审计日志）",
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="目录Excel")},
    )
    def get(self, request: Request, dossier_id: int) -> HttpResponseBase:
        dossier = services.catalogue_read(actor=request.user, dossier_id=dossier_id, fmt="xlsx")
        return catalogue.catalogue_xlsx_response(dossier)
