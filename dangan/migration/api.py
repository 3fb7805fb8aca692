"""REST endpoints of the migration: submit a ledger, follow its job, confirm a clean dry run, get the report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.agencies.policies import staff_of
from dangan.core.errors import NotFound, ValidationFailed
from dangan.migration import selectors, services
from dangan.migration.models import ImportJob
from dangan.migration.policies import can_use_migration, custodian_choices
from dangan.migration.reports import report_response
from dangan.migration.template import XLSX, template_response

TAG = ["imports"]


class Importer(permissions.BasePermission):
    message = "只有信息采集员或系统管理员可以迁移历史数据"

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_use_migration(request.user)


class ErrorOut(serializers.Serializer[Any]):
    sheet = serializers.CharField(help_text="工作表：档案台账或材料目录")
    row = serializers.IntegerField(help_text="行号（表头为第1行）")
    column = serializers.CharField(help_text="列名")
    value = serializers.CharField(help_text="填写内容")
    message = serializers.CharField(help_text="错误说明")


class JobOut(serializers.ModelSerializer[ImportJob]):
    status = serializers.CharField(help_text="queued 排队中，running 运行中，done 已完成，failed 失败")
    status_label = serializers.CharField(source="get_status_display")
    phase = serializers.CharField(help_text="validate 校验，import 导入；空为等待")
    agency = serializers.CharField(source="agency.code", help_text="存档机构代码")
    custodian = serializers.CharField(source="custodian.code", help_text="实物保管机构代码")
    percent = serializers.IntegerField(help_text="进度百分比")
    has_report = serializers.SerializerMethodField(help_text="是否有可下载的错误报告")
    first_errors = serializers.SerializerMethodField(help_text="前100处错误；完整清单见错误报告")

    class Meta:
        model = ImportJob
        fields = [
            "id", "status", "status_label", "phase", "dry_run", "renumber", "agency", "custodian", "default_source",
            "ledger_name", "materials_name", "rows_total", "rows_done", "percent", "ledger_rows", "material_rows",
            "error_count", "imported_count", "materials_count", "locations_count", "message", "based_on",
            "created_at", "started_at", "finished_at", "has_report", "first_errors",
        ]  # fmt: skip

    def get_has_report(self, obj: ImportJob) -> bool:
        return bool(obj.report_file)

    @extend_schema_field(ErrorOut(many=True))
    def get_first_errors(self, obj: ImportJob) -> list[dict[str, Any]]:
        return list(obj.errors_preview or [])


class JobIn(serializers.Serializer[Any]):
    ledger = serializers.FileField(help_text="档案台账：平台模板（.xlsx）或 CSV 文件")
    materials = serializers.FileField(required=False, help_text="材料目录（台账为 CSV 时另附）")
    dry_run = serializers.BooleanField(default=True, help_text="试运行：只校验并出具错误报告，不写入")
    custodian = serializers.CharField(required=False, max_length=20, help_text="实物保管机构代码（R47），默认本机构")
    default_source = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    renumber = serializers.BooleanField(default=False, help_text="按本机构规则重新编号，原编号记入档案来源")


class _AlwaysNegotiate(BaseContentNegotiation):
    """Files are not rendered by DRF; errors always come back as JSON, whatever the Accept header asks."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> Any:
        first = next(iter(renderers))
        return (first, first.media_type)


class JobListView(generics.ListAPIView[ImportJob]):
    permission_classes = [permissions.IsAuthenticated, Importer]
    serializer_class = JobOut
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ImportJob]:
        return selectors.jobs_visible_to(self.request.user)

    @extend_schema(summary="本机构的历史数据迁移任务", tags=TAG)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="提交档案台账：先试运行，无误后正式导入（后台运行）",
        tags=TAG,
        request={"multipart/form-data": JobIn},
        responses={201: JobOut},
    )
    def post(self, request: Request) -> Response:
        data = JobIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        custodian_id = None
        if values.get("custodian"):
            staff = staff_of(request.user)
            choices = custodian_choices(staff.agency) if staff is not None else []
            match = next((a for a in choices if a.code == values["custodian"]), None)
            if match is None:
                raise ValidationFailed(
                    _("实物保管机构无效"), fields={"custodian": [_("只能是本机构、其指定的保管机构或上级中心（R47）")]}
                )
            custodian_id = match.pk
        job = services.job_submit(
            actor=request.user, ledger=values["ledger"], materials=values.get("materials"), dry_run=values["dry_run"],
            custodian_id=custodian_id, default_source=values["default_source"], renumber=values["renumber"],
        )  # fmt: skip
        return Response(JobOut(job).data, status=status.HTTP_201_CREATED)


class JobDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated, Importer]

    @extend_schema(summary="迁移任务的状态、进度与错误摘要", tags=TAG, responses={200: JobOut})
    def get(self, request: Request, job_id: int) -> Response:
        return Response(JobOut(selectors.job_for(request.user, job_id)).data)


class JobConfirmView(APIView):
    permission_classes = [permissions.IsAuthenticated, Importer]

    @extend_schema(summary="无错误的试运行转为正式导入", tags=TAG, request=None, responses={201: JobOut})
    def post(self, request: Request, job_id: int) -> Response:
        job = services.job_confirm(actor=request.user, job_id=job_id)
        return Response(JobOut(job).data, status=status.HTTP_201_CREATED)


class JobReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, Importer]
    content_negotiation_class = _AlwaysNegotiate

    @extend_schema(
        summary="下载错误报告（Excel：行号、列、填写内容、错误说明）",
        tags=TAG,
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="错误报告")},
    )
    def get(self, request: Request, job_id: int) -> HttpResponseBase:
        job = selectors.job_for(request.user, job_id)
        if not job.report_file:
            raise NotFound(_("该任务没有错误报告"))
        return report_response(job)


class TemplateView(APIView):
    permission_classes = [permissions.IsAuthenticated, Importer]
    content_negotiation_class = _AlwaysNegotiate

    @extend_schema(
        summary="下载导入模板（Excel：档案台账、材料目录两个工作表）",
        tags=TAG,
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="导入模板")},
    )
    def get(self, request: Request) -> HttpResponseBase:
        return template_response()
