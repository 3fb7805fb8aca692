from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.workdays.calendar import add_working_days


class DueIn(serializers.Serializer[Any]):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=0, max_value=366)


class DueOut(serializers.Serializer[Any]):
    start = serializers.DateField()
    days = serializers.IntegerField()
    due = serializers.DateField()
    provisional = serializers.BooleanField(help_text="该年度节假日安排尚未录入，按周一至周五暂算")


class WorkdayView(APIView):
    @extend_schema(summary="按工作日计算办理时限", parameters=[DueIn], responses={200: DueOut})
    def get(self, request: Request) -> Response:
        data = DueIn(data=request.query_params)
        data.is_valid(raise_exception=True)
        start, days = data.validated_data["start"], data.validated_data["days"]
        if start.year < 1950 or start.year > 2200:
            raise serializers.ValidationError({"start": ["起算日超出可计算范围（1950–2200年）"]})
        due = add_working_days(start, days)
        return Response(DueOut({"start": start, "days": days, "due": due.date, "provisional": due.provisional}).data)
