from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from dangan.core.codetables import table
from dangan.dossiers.models import Dossier
from dangan.dossiers.policies import sees_full_id_number
from dangan.dossiers.selectors import dossier_search
from dangan.dossiers.services import dossier_read


class DossierListOut(serializers.ModelSerializer[Dossier]):
    name = serializers.CharField(source="person.name")
    id_number = serializers.CharField(source="person.masked_id_number", help_text="列表中身份证号码一律脱敏（R43）")
    holding_agency = serializers.CharField(source="holding_agency.short_name")
    status_label = serializers.CharField(source="get_status_display")

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
        ]


class DossierDetailOut(DossierListOut):
    id_number = serializers.SerializerMethodField()  # type: ignore[assignment]  # full or masked by role (R43)
    sex = serializers.SerializerMethodField()
    birth_date = serializers.DateField(source="person.birth_date")
    custodian = serializers.CharField(source="custodian.short_name")

    class Meta(DossierListOut.Meta):
        fields = [*DossierListOut.Meta.fields, "sex", "birth_date", "custodian"]

    def get_id_number(self, obj: Dossier) -> str:
        user = self.context["request"].user
        return obj.person.id_number if sees_full_id_number(user) else obj.person.masked_id_number

    def get_sex(self, obj: Dossier) -> str:
        return table("sex").label(obj.person.sex)


class DossierViewSet(viewsets.ReadOnlyModelViewSet[Dossier]):
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Dossier]:
        return dossier_search(self.request.user, self.request.query_params.get("q", ""))

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return DossierDetailOut if self.action == "retrieve" else DossierListOut

    @extend_schema(
        summary="检索档案（身份证号码、姓名、档案编号或条码）",
        parameters=[OpenApiParameter("q", str, description="检索词")],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="查看档案（记入审计日志）", responses={200: DossierDetailOut})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        dossier = dossier_read(actor=request.user, dossier_id=int(kwargs["pk"]))
        return Response(DossierDetailOut(dossier, context={"request": request}).data)
