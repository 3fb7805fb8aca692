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

from dangan.core.errors import NotFound, PermissionDenied
from dangan.core.pdf import pdf_response
from dangan.storage import labels, selectors, services
from dangan.storage.checklist import checklist
from dangan.storage.models import (
    Location,
    LocationMove,
    Room,
    RoomKind,
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
