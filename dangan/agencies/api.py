from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.agencies import services
from dangan.agencies.models import Agency
from dangan.agencies.policies import staff_of
from dangan.core.errors import NotFound


class TokenIn(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenOut(serializers.Serializer[Any]):
    token = serializers.CharField()


class TokenView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        summary="获取API令牌",
        request=TokenIn,
        responses={200: TokenOut},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        key = services.token_issue(request=request._request, **data.validated_data)
        return Response(TokenOut({"token": key}).data)


class AgencyOut(serializers.ModelSerializer[Agency]):
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "short_name", "level", "region_code", "parent_code", "address", "phone"]


class AgencyViewSet(viewsets.ReadOnlyModelViewSet[Agency]):
    """The directory of agencies (public facts, needed to route requests province-wide)."""

    serializer_class = AgencyOut
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Agency]:
        return Agency.objects.filter(is_active=True).select_related("parent").order_by("path")


class MeOut(serializers.Serializer[Any]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    agency = AgencyOut()
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    @extend_schema(summary="当前经办人员", responses={200: MeOut})
    def get(self, request: Request) -> Response:
        staff = staff_of(request.user)
        if staff is None:
            raise NotFound("当前用户不是经办人员")
        body = {
            "username": request.user.get_username(),
            "full_name": staff.full_name,
            "agency": staff.agency,
            "roles": sorted(staff.role_set),
        }
        return Response(MeOut(body).data)
