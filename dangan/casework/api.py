from __future__ import annotations

import functools
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.casework import registry
from dangan.casework.models import ServiceRequest
from dangan.casework.selectors import requests_visible_to, same_day_queue
from dangan.casework.services import request_advance


class StepOut(serializers.Serializer[Any]):
    to_status = serializers.CharField()
    step = serializers.CharField(source="label")
    actor_name = serializers.CharField()
    agency = serializers.CharField(source="agency.short_name", default="")
    at = serializers.DateTimeField()
    note = serializers.CharField()


class RequestOut(serializers.ModelSerializer[ServiceRequest]):
    service_label = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    accepting_agency = serializers.CharField(source="accepting_agency.name")
    holding_agency = serializers.CharField(source="holding_agency.name")
    assigned_to = serializers.CharField(source="assigned_to.staff.full_name", default="")
    steps = StepOut(many=True, source="steps.all")

    class Meta:
        model = ServiceRequest
        fields = [
            "id", "number", "service_type", "service_label", "channel", "status", "status_label", "accepting_agency",
            "holding_agency", "applicant_kind", "applicant_name", "submitted_at", "work_date", "due", "due_provisional",
            "completed_at", "assigned_to", "steps",
        ]  # fmt: skip

    def get_service_label(self, obj: ServiceRequest) -> str:
        service_type = registry.get(obj.service_type)
        return service_type.label if service_type else obj.service_type

    def get_status_label(self, obj: ServiceRequest) -> str:
        return registry.status_label(obj.service_type, obj.status)


class AdvanceIn(serializers.Serializer[Any]):
    to = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ServiceRequest]):
    serializer_class = RequestOut
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return requests_visible_to(self.request.user).prefetch_related("steps__agency")

    @extend_schema(summary="办理一个步骤（按事项的流程表）", request=AdvanceIn, responses={200: RequestOut})
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        data = AdvanceIn(data=request.data)
        data.is_valid(raise_exception=True)
        request_advance(actor=request.user, request_id=int(pk), **data.validated_data)
        return Response(RequestOut(self.get_queryset().get(pk=int(pk))).data)

    @extend_schema(summary="今日须办结的网办事项（日事日毕，R31）", responses={200: RequestOut(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def today(self, request: Request) -> Response:
        queue = same_day_queue(request.user, timezone.localdate()).prefetch_related("steps__agency")
        return Response(RequestOut(queue, many=True).data)


class ChecklistItemOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    mandatory = serializers.BooleanField()
    applicants = serializers.ListField(child=serializers.CharField())


class ServiceTypeOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    time_limit_days = serializers.IntegerField()
    province_wide = serializers.BooleanField()
    applicants = serializers.ListField(child=serializers.CharField())
    checklist = ChecklistItemOut(many=True)


class ServiceTypeView(APIView):
    @extend_schema(summary="服务事项及一次性告知的材料清单（R30）", responses={200: ServiceTypeOut(many=True)})
    def get(self, request: Request) -> Response:
        return Response(_service_types(get_language(), registry.version()))


@functools.lru_cache(maxsize=8)
def _service_types(language: str, version: int) -> list[Any]:
    """The list changes only with the registry (at start-up) and the language: built once per process."""
    body = [
        {
            "code": t.code,
            "title": t.label,
            "description": t.description,
            "time_limit_days": t.time_limit_days,
            "province_wide": t.province_wide,
            "applicants": sorted(t.applicants),
            "checklist": [
                {"key": i.key, "title": i.label, "mandatory": i.required, "applicants": sorted(i.applicants)}
                for i in t.checklist
            ],
        }
        for t in registry.all_types()
    ]
    return list(ServiceTypeOut(body, many=True).data)
