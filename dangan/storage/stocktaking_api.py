"""The stocktaking API (R42): thin handlers over `storage.stocktake`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.core.errors import Conflict
from dangan.storage import selectors, stocktaking
from dangan.storage.api import TAG, LocationPagination, StorageReader
from dangan.storage.models import (
    DiscrepancyKind,
    ScanResult,
    Stocktake,
    StocktakeDiscrepancy,
    StocktakeStatus,
)


@extend_schema_field(
    {
        "type": "string",
        "enum": list(StocktakeStatus.values),
        "description": "open 进行中，finished 已完成，cancelled 已取消",
    },
    component_name="StocktakeStatusEnum",
)
class StocktakeStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=StocktakeStatus.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "enum": list(ScanResult.values),
        "description": "matched 相符，misplaced 位置不符，unrecorded 不在本库房账上，unknown 条码不明",
    },
    component_name="StocktakeScanResultEnum",
)
class ScanResultField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ScanResult.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "enum": list(DiscrepancyKind.values),
        "description": "missing 账上有、架上无，misplaced 位置不符，unrecorded 架上有、账上无",
    },
    component_name="StocktakeDiscrepancyKindEnum",
)
class DiscrepancyKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=DiscrepancyKind.choices, **kwargs)


def _staff_name(user: Any) -> str | None:
    if user is None:
        return None
    staff = getattr(user, "staff", None)
    return staff.full_name if staff is not None else str(user.get_username())


class StocktakeProgressOut(serializers.Serializer[Any]):
    recorded = serializers.IntegerField(help_text="账面在架（当前存放记录）")
    scanned = serializers.IntegerField(help_text="已扫描")
    matched = serializers.IntegerField(help_text="相符")
    misplaced = serializers.IntegerField(help_text="位置不符")
    unrecorded = serializers.IntegerField(help_text="不在本库房账上")
    unknown = serializers.IntegerField(help_text="条码不明")


class StocktakeOut(serializers.ModelSerializer[Stocktake]):
    room = serializers.CharField(source="room.name")
    status = StocktakeStatusField()
    status_label = serializers.CharField(source="get_status_display")
    started_by = serializers.SerializerMethodField()
    finished_by = serializers.SerializerMethodField(help_text="完成或取消的人；进行中为 null")
    progress = serializers.SerializerMethodField(help_text="进行中的盘点的扫描进度；已结束为 null")

    class Meta:
        model = Stocktake
        fields = [
            "id", "room_id", "room", "status", "status_label", "started_at", "started_by", "finished_at",
            "finished_by", "cancel_reason", "recorded_count", "scanned_count", "matched_count", "missing_count",
            "misplaced_count", "unrecorded_count", "progress",
        ]  # fmt: skip

    def get_started_by(self, obj: Stocktake) -> str:
        return _staff_name(obj.started_by) or ""

    def get_finished_by(self, obj: Stocktake) -> str | None:
        return _staff_name(obj.finished_by)

    @extend_schema_field(StocktakeProgressOut(allow_null=True))
    def get_progress(self, obj: Stocktake) -> dict[str, Any] | None:
        if not obj.is_open:
            return None
        return dict(StocktakeProgressOut(selectors.stocktake_progress(obj)).data)


class StocktakeScanOut(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="scan.pk")
    location = serializers.CharField(source="scan.location.code", help_text="扫描位置")
    barcode = serializers.CharField(source="scan.barcode")
    dossier_id = serializers.IntegerField(source="scan.dossier_id", allow_null=True, help_text="条码不明为 null")
    number = serializers.CharField(source="scan.dossier.number", allow_null=True, default=None)
    name = serializers.CharField(source="scan.masked_name", help_text="姓名（隐去名字）")
    recorded_location = serializers.CharField(
        source="scan.recorded_location.code", allow_null=True, default=None, help_text="扫描时的账面位置"
    )
    result = ScanResultField(source="scan.result")
    result_label = serializers.CharField(source="scan.get_result_display")
    repeated = serializers.BooleanField(help_text="同一档案盒在同一位置重复扫描：不重复记录")


class DiscrepancyOut(serializers.ModelSerializer[StocktakeDiscrepancy]):
    kind = DiscrepancyKindField()
    kind_label = serializers.CharField(source="get_kind_display")
    number = serializers.CharField(source="dossier.number", allow_null=True, default=None)
    name = serializers.CharField(source="masked_name", help_text="姓名（隐去名字）")
    recorded_location = serializers.CharField(source="recorded_location.code", allow_null=True, default=None)
    found_location = serializers.CharField(source="found_location.code", allow_null=True, default=None)

    class Meta:
        model = StocktakeDiscrepancy
        fields = ["id", "kind", "kind_label", "dossier_id", "number", "name", "barcode", "recorded_location",
                  "found_location"]  # fmt: skip


class StocktakeScanIn(serializers.Serializer[Any]):
    location_code = serializers.CharField(max_length=60, help_text="扫描的存放位置编号")
    barcode = serializers.CharField(max_length=40, help_text="档案盒条码")


class StocktakeCancelIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200, help_text="取消原因")


class ReportFilterIn(serializers.Serializer[Any]):
    kind = DiscrepancyKindField(required=False)


def _stocktake_body(user: Any, stocktake_id: int) -> dict[str, Any]:
    return dict(StocktakeOut(selectors.stocktake_for(user, stocktake_id)).data)


class RoomStocktakesView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(
        summary="库房的盘点记录（最新的在前，最多100次）", tags=TAG, responses={200: StocktakeOut(many=True)}
    )
    def get(self, request: Request, room_id: int) -> Response:
        room = selectors.room_for(request.user, room_id)
        return Response(StocktakeOut(selectors.stocktakes_of(room)[:100], many=True).data)

    @extend_schema(
        summary="开始盘点（本机构库房管理员；每个库房同时只能有一次进行中的盘点）",
        tags=TAG,
        request=None,
        responses={201: StocktakeOut},
    )
    def post(self, request: Request, room_id: int) -> Response:
        stocktake = stocktaking.stocktake_start(actor=request.user, room_id=room_id)
        return Response(_stocktake_body(request.user, stocktake.pk), status=status.HTTP_201_CREATED)


class StocktakeDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(summary="查看盘点（状态、结果数字或扫描进度）", tags=TAG, responses={200: StocktakeOut})
    def get(self, request: Request, stocktake_id: int) -> Response:
        return Response(_stocktake_body(request.user, stocktake_id))


class StocktakeScanView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(
        summary="盘点扫描：一个存放位置及其中档案盒的条码（重复扫描同一位置不重复记录）",
        tags=TAG,
        request=StocktakeScanIn,
        responses={201: StocktakeScanOut, 200: StocktakeScanOut},
    )
    def post(self, request: Request, stocktake_id: int) -> Response:
        data = StocktakeScanIn(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = stocktaking.stocktake_scan(actor=request.user, stocktake_id=stocktake_id, **data.validated_data)
        code = status.HTTP_200_OK if outcome.repeated else status.HTTP_201_CREATED
        return Response(StocktakeScanOut(outcome).data, status=code)


class StocktakeFinishView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(
        summary="完成盘点：与存放记录核对，生成差异报告",
        tags=TAG,
        request=None,
        responses={200: StocktakeOut},
    )
    def post(self, request: Request, stocktake_id: int) -> Response:
        stocktake = stocktaking.stocktake_finish(actor=request.user, stocktake_id=stocktake_id)
        return Response(_stocktake_body(request.user, stocktake.pk))


class StocktakeCancelView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(summary="取消进行中的盘点", tags=TAG, request=StocktakeCancelIn, responses={200: StocktakeOut})
    def post(self, request: Request, stocktake_id: int) -> Response:
        data = StocktakeCancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        stocktake = stocktaking.stocktake_cancel(actor=request.user, stocktake_id=stocktake_id, **data.validated_data)
        return Response(_stocktake_body(request.user, stocktake.pk))


class StocktakeReportView(generics.ListAPIView[StocktakeDiscrepancy]):
    # The stored differences of a finished stocktake, page by page (a storeroom may hold 100,000 dossiers).

    permission_classes = [permissions.IsAuthenticated, StorageReader]
    serializer_class = DiscrepancyOut
    pagination_class = LocationPagination

    def get_queryset(self) -> QuerySet[StocktakeDiscrepancy]:
        if getattr(self, "swagger_fake_view", False):
            return StocktakeDiscrepancy.objects.none()
        stocktake = selectors.stocktake_for(self.request.user, self.kwargs["stocktake_id"])
        if not stocktake.is_finished:
            raise Conflict(_("盘点尚未完成，没有盘点报告"), code="stocktake_not_finished")
        query = ReportFilterIn(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.discrepancies_of(stocktake, query.validated_data.get("kind"))

    @extend_schema(
        summary="盘点报告：账上有架上无、位置不符、架上有账上无三类差异（已完成的盘点）",
        tags=TAG,
        parameters=[OpenApiParameter("kind", str, enum=list(DiscrepancyKind.values), description="只看一类差异")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
