"""REST endpoints of the storerooms: input and output serializers, thin views calling services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.core.errors import Conflict, NotFound, PermissionDenied
from dangan.core.pdf import pdf_response
from dangan.storage import labels, selectors, services
from dangan.storage.checklist import checklist
from dangan.storage.models import (
    DiscrepancyKind,
    Location,
    LocationMove,
    Room,
    RoomKind,
    ScanResult,
    Stocktake,
    StocktakeDiscrepancy,
    StocktakeStatus,
)
from dangan.storage.policies import can_keep, can_view_storage
from dangan.storage.services import MAX_CABINET, MAX_POSITIONS, MAX_TIERS

MAX_ID = 2**31 - 1
TAG = ["storage"]


class StorageReader(permissions.BasePermission):
    message = "您的岗位无权查看库房"

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_view_storage(request.user)


@extend_schema_field(
    {
        "type": "string",
        "enum": list(RoomKind.values),
        "description": "storeroom 库房，reading_room 阅档室，office 办公室",
    },
    component_name="RoomKindEnum",
)
class RoomKindField(serializers.ChoiceField):
    """A named enum component: other apps also have fields called "kind"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RoomKind.choices, **kwargs)


class LocationPagination(LimitOffsetPagination):
    """Bounded: an out-of-range limit or offset is clamped, never passed on to the database."""

    max_limit = 500

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), MAX_ID)


# Output


class RoomOut(serializers.ModelSerializer[Room]):
    kind = RoomKindField()
    kind_label = serializers.CharField(source="get_kind_display")
    agency = serializers.CharField(source="agency.short_name")
    protections = serializers.ListField(child=serializers.CharField(), help_text="已落实的防护措施代码")
    protection_labels = serializers.SerializerMethodField(help_text="已落实的防护措施（九防）")
    protections_complete = serializers.BooleanField(help_text="九防是否全部落实（R39）")
    location_count = serializers.IntegerField(help_text="存放位置数")
    occupied_count = serializers.IntegerField(help_text="已存放档案的位置数")

    class Meta:
        model = Room
        fields = [
            "id", "name", "kind", "kind_label", "agency", "protections", "protection_labels",
            "protections_complete", "location_count", "occupied_count",
        ]  # fmt: skip

    def get_protection_labels(self, obj: Room) -> list[str]:
        return [checklist().label(key) for key in obj.protections or []]


class LocationOut(serializers.ModelSerializer[Location]):
    room = serializers.CharField(source="room.name")
    dossier_id = serializers.SerializerMethodField(help_text="存放的档案；空位为 null")
    dossier_number = serializers.SerializerMethodField()

    class Meta:
        model = Location
        fields = ["id", "code", "room_id", "room", "cabinet", "tier", "position", "dossier_id", "dossier_number"]

    def get_dossier_id(self, obj: Location) -> int | None:
        place = getattr(obj, "occupant", None)
        return place.dossier_id if place is not None else None

    def get_dossier_number(self, obj: Location) -> str | None:
        place = getattr(obj, "occupant", None)
        return place.dossier.number if place is not None else None


class LocationBriefOut(serializers.ModelSerializer[Location]):
    room = serializers.CharField(source="room.name")

    class Meta:
        model = Location
        fields = ["id", "code", "room_id", "room", "cabinet", "tier", "position"]


class LocationsCreatedOut(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    first = serializers.CharField(help_text="第一个位置编号")
    last = serializers.CharField(help_text="最后一个位置编号")


class MoveOut(serializers.ModelSerializer[LocationMove]):
    kind = serializers.CharField(source="kind_label", help_text="上架、移位或下架")
    from_location = serializers.CharField(source="from_location.code", allow_null=True, default=None)
    to_location = serializers.CharField(source="to_location.code", allow_null=True, default=None)
    moved_by = serializers.SerializerMethodField()

    class Meta:
        model = LocationMove
        fields = ["id", "kind", "from_location", "to_location", "moved_by", "moved_at", "reason"]

    def get_moved_by(self, obj: LocationMove) -> str:
        staff = getattr(obj.moved_by, "staff", None)
        return staff.full_name if staff is not None else obj.moved_by.get_username()


class DossierPlaceOut(serializers.Serializer[Any]):
    dossier_id = serializers.IntegerField()
    number = serializers.CharField()
    custodian = serializers.CharField(help_text="实物保管地")
    location = LocationBriefOut(allow_null=True, help_text="当前位置；未上架为 null")
    placed_at = serializers.DateTimeField(allow_null=True)
    moves = MoveOut(many=True, help_text="位置变动记录，最新的在前")


class SuggestionOut(serializers.Serializer[Any]):
    location = LocationBriefOut(allow_null=True, help_text="保持编号顺序的空位；没有则为 null")


class ScanOut(serializers.Serializer[Any]):
    dossier_id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    location = serializers.CharField(help_text="存放位置；未上架为空")


# Input


class RoomIn(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=30)
    kind = RoomKindField()
    protections = serializers.ListField(
        child=serializers.ChoiceField(choices=[(p.key, p.label) for p in checklist().protections]),
        required=False,
        default=list,
        max_length=len(checklist().protections) * 2,
        help_text="已落实的防护措施（九防）代码",
    )


class ProtectionsIn(serializers.Serializer[Any]):
    protections = serializers.ListField(
        child=serializers.ChoiceField(choices=[(p.key, p.label) for p in checklist().protections]),
        max_length=len(checklist().protections) * 2,
        help_text="现已落实的防护措施（九防）代码，全部列出",
    )
    note = serializers.CharField(max_length=200, help_text="变化说明，如：新装温湿度监控")


class LocationsIn(serializers.Serializer[Any]):
    cabinet = serializers.IntegerField(min_value=1, max_value=MAX_CABINET, help_text="档案柜号")
    tiers = serializers.IntegerField(min_value=1, max_value=MAX_TIERS, help_text="层数")
    positions = serializers.IntegerField(min_value=1, max_value=MAX_POSITIONS, help_text="每层格数")


class CabinetFilterIn(serializers.Serializer[Any]):
    cabinet = serializers.IntegerField(min_value=1, max_value=MAX_CABINET, required=False)


class RoomFilterIn(serializers.Serializer[Any]):
    room = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class ShelveIn(serializers.Serializer[Any]):
    location_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MoveIn(serializers.Serializer[Any]):
    location_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = serializers.CharField(max_length=200, help_text="移位原因")


class ScanIn(serializers.Serializer[Any]):
    barcode = serializers.CharField(max_length=40)


def _place_body(dossier_id: int, user: Any) -> dict[str, Any]:
    dossier = selectors.dossier_for_storage(user, dossier_id)
    current = selectors.current_place(dossier)
    return {
        "dossier_id": dossier.pk,
        "number": dossier.number,
        "custodian": dossier.custodian.short_name,
        "location": current.location if current else None,
        "placed_at": current.placed_at if current else None,
        "moves": list(selectors.moves_of(dossier)),
    }


# Views


class RoomListView(generics.ListCreateAPIView[Room]):
    permission_classes = [permissions.IsAuthenticated, StorageReader]
    serializer_class = RoomOut
    pagination_class = None

    def get_queryset(self) -> QuerySet[Room]:
        return selectors.rooms_visible_to(self.request.user)

    @extend_schema(summary="房间列表（库房、阅档室、办公室及九防落实情况）", tags=TAG)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="建立房间（系统管理员）", tags=TAG, request=RoomIn, responses={201: RoomOut})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RoomIn(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.room_create(actor=request.user, **data.validated_data)
        out = selectors.rooms_visible_to(request.user).get(pk=room.pk)
        return Response(RoomOut(out).data, status=status.HTTP_201_CREATED)


class RoomDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(summary="查看房间", tags=TAG, responses={200: RoomOut})
    def get(self, request: Request, room_id: int) -> Response:
        room = selectors.room_for(request.user, room_id)
        return Response(RoomOut(selectors.rooms_visible_to(request.user).get(pk=room.pk)).data)

    @extend_schema(
        summary="更新库房的九防登记（系统管理员，R39）", tags=TAG, request=ProtectionsIn, responses={200: RoomOut}
    )
    def patch(self, request: Request, room_id: int) -> Response:
        data = ProtectionsIn(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.room_protections_update(actor=request.user, room_id=room_id, **data.validated_data)
        return Response(RoomOut(selectors.rooms_visible_to(request.user).get(pk=room.pk)).data)


class RoomLocationsView(generics.ListCreateAPIView[Location]):
    permission_classes = [permissions.IsAuthenticated, StorageReader]
    serializer_class = LocationOut
    pagination_class = LocationPagination

    def get_queryset(self) -> QuerySet[Location]:
        if getattr(self, "swagger_fake_view", False):
            return Location.objects.none()
        room = selectors.room_for(self.request.user, self.kwargs["room_id"])
        query = CabinetFilterIn(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.locations_of(room, query.validated_data.get("cabinet"))

    @extend_schema(
        summary="房间的存放位置及占用情况",
        tags=TAG,
        parameters=[OpenApiParameter("cabinet", int, description="只看某个档案柜")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="设置档案柜：批量生成存放位置（库房管理员，只限库房）",
        tags=TAG,
        request=LocationsIn,
        responses={201: LocationsCreatedOut},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = LocationsIn(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.locations_create(actor=request.user, room_id=kwargs["room_id"], **data.validated_data)
        body = {"count": len(created), "first": created[0].code, "last": created[-1].code}
        return Response(LocationsCreatedOut(body).data, status=status.HTTP_201_CREATED)


class DossierPlaceView(APIView):
    @extend_schema(summary="档案的存放位置及位置变动记录", tags=TAG, responses={200: DossierPlaceOut})
    def get(self, request: Request, dossier_id: int) -> Response:
        return Response(DossierPlaceOut(_place_body(dossier_id, request.user)).data)


class DossierSuggestionView(APIView):
    @extend_schema(
        summary="建议存放位置（保持编号顺序的空位）",
        tags=TAG,
        parameters=[OpenApiParameter("room", int, description="只在某个库房中查找")],
        responses={200: SuggestionOut},
    )
    def get(self, request: Request, dossier_id: int) -> Response:
        dossier = selectors.dossier_for_storage(request.user, dossier_id)
        if not can_keep(request.user, dossier.custodian):
            raise PermissionDenied(_("只有保管该档案实物的库房管理员可以上架、移位"))
        query = RoomFilterIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        location = selectors.suggest_location(dossier, room_id=query.validated_data.get("room"))
        return Response(SuggestionOut({"location": location}).data)


class DossierShelveView(APIView):
    @extend_schema(
        summary="档案上架（首次放置，库房管理员；须保持编号顺序）",
        tags=TAG,
        request=ShelveIn,
        responses={200: DossierPlaceOut},
    )
    def post(self, request: Request, dossier_id: int) -> Response:
        data = ShelveIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.dossier_shelve(actor=request.user, dossier_id=dossier_id, **data.validated_data)
        return Response(DossierPlaceOut(_place_body(dossier_id, request.user)).data)


class DossierMoveView(APIView):
    @extend_schema(
        summary="档案移位（库房管理员；记录原因，须保持编号顺序）",
        tags=TAG,
        request=MoveIn,
        responses={200: DossierPlaceOut},
    )
    def post(self, request: Request, dossier_id: int) -> Response:
        data = MoveIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.dossier_move(actor=request.user, dossier_id=dossier_id, **data.validated_data)
        return Response(DossierPlaceOut(_place_body(dossier_id, request.user)).data)


class DossierLabelView(APIView):
    @extend_schema(
        summary="打印档案盒标签（Code 128 条码，PDF）",
        tags=TAG,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, dossier_id: int) -> HttpResponse:
        dossier = selectors.dossier_for_storage(request.user, dossier_id)
        if not can_keep(request.user, dossier.custodian):
            raise PermissionDenied(_("只有保管该档案实物的库房管理员可以打印标签"))
        label = labels.label_for(dossier, selectors.location_label(dossier))
        return pdf_response(labels.labels_pdf([label], title=_("档案标签")), f"档案标签-{dossier.number}.pdf")


class CabinetLabelsView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(
        summary="打印一个档案柜的全部档案盒标签（PDF）",
        tags=TAG,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, room_id: int, cabinet: int) -> HttpResponse:
        room = selectors.room_for(request.user, room_id)
        if not can_keep(request.user, room.agency):
            raise PermissionDenied(_("只有本机构的库房管理员可以打印标签"))
        sheet = labels.cabinet_labels(room, cabinet)
        if not sheet:
            raise NotFound(_("该档案柜没有已上架的档案"))
        return pdf_response(labels.labels_pdf(sheet, title=_("档案柜标签")), f"档案标签-{room.name}-{cabinet:02d}.pdf")


class ScanView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(
        summary="扫码查档：按条码找到档案及其存放位置",
        tags=TAG,
        parameters=[OpenApiParameter("barcode", str, required=True, description="档案条码")],
        responses={200: ScanOut},
    )
    def get(self, request: Request) -> Response:
        query = ScanIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        dossier = selectors.dossier_by_barcode(request.user, query.validated_data["barcode"])
        body = {
            "dossier_id": dossier.pk,
            "number": dossier.number,
            "name": dossier.person.name,
            "location": selectors.location_label(dossier),
        }
        return Response(ScanOut(body).data)


# 库房盘点 (R42)


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
        stocktake = services.stocktake_start(actor=request.user, room_id=room_id)
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
        outcome = services.stocktake_scan(actor=request.user, stocktake_id=stocktake_id, **data.validated_data)
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
        stocktake = services.stocktake_finish(actor=request.user, stocktake_id=stocktake_id)
        return Response(_stocktake_body(request.user, stocktake.pk))


class StocktakeCancelView(APIView):
    permission_classes = [permissions.IsAuthenticated, StorageReader]

    @extend_schema(summary="取消进行中的盘点", tags=TAG, request=StocktakeCancelIn, responses={200: StocktakeOut})
    def post(self, request: Request, stocktake_id: int) -> Response:
        data = StocktakeCancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        stocktake = services.stocktake_cancel(actor=request.user, stocktake_id=stocktake_id, **data.validated_data)
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
