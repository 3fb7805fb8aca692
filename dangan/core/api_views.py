from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.core.codetables import STANDARDS, table
from dangan.core.errors import NotFound


class CodeTableView(APIView):
    @extend_schema(
        summary="代码表",
        responses={
            200: inline_serializer(
                "CodeTable",
                {
                    "name": serializers.CharField(),
                    "standard": serializers.CharField(),
                    "codes": inline_serializer(
                        "CodeItem", {"code": serializers.CharField(), "name": serializers.CharField()}, many=True
                    ),
                },
            ),
        },
    )
    def get(self, request: Request, name: str) -> Response:
        if name not in STANDARDS:
            raise NotFound("代码表不存在")
        code_table = table(name)
        body: dict[str, Any] = {
            "name": code_table.name,
            "standard": code_table.standard,
            "codes": [{"code": c.code, "name": c.name} for c in code_table.codes],
        }
        return Response(body)
