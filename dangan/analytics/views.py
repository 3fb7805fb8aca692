from __future__ import annotations

import dataclasses

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangan.agencies.selectors import agencies_visible_to
from dangan.analytics import stock
from dangan.analytics.cache import cached_sections
from dangan.analytics.scope import scope_for
from dangan.audit.services import record
from dangan.core.errors import NotFound
from dangan.core.spreadsheets import xlsx_response

CHARTS = {
    "count": "bar", "trend": "line", "age": "stacked", "education": "pie", "titles": "pie", "political": "pie",
    "ethnic": "pie", "entrustment": "pie", "agencies": "bar", "industry": "stacked", "flows": "sankey",
    "origins": "bar", "services": "bar", "quality": "quality", "worst": "",
}  # fmt: skip


@login_required
def dashboard(request: HttpRequest) -> HttpResponseBase:
    try:
        scope = scope_for(request.user, request.GET.get("agency") or None)
    except NotFound:
        raise Http404("无权查看统计数据") from None
    today = timezone.localdate()
    export = request.GET.get("export")
    if export == "incomplete":  # every dossier with a mandatory item missing, streamed from the facts: not cached
        record(actor=request.user, action="analytics.exported", subject=("analytics", export),
               after={"scope": scope.root.code})  # fmt: skip
        table, rows = stock.incomplete_records(scope)
        return xlsx_response(
            filename=f"{table.title}-{today}.xlsx", sheet_title=table.title, header=table.header, rows=rows
        )
    sections = cached_sections(scope, today)  # keyed by the scope's exact agencies (R43, R48)
    if export:
        section = sections.get(export)
        if section is None:
            raise Http404("没有该统计表")
        record(
            actor=request.user,
            action="analytics.exported",
            subject=("analytics", export),
            after={"scope": scope.root.code},
        )
        return xlsx_response(
            filename=f"{section.title}-{today}.xlsx",
            sheet_title=section.title,
            header=section.header,
            rows=[*section.rows, *([[], [f"注：{section.note}"]] if section.note else [])],
        )
    data = {key: dataclasses.asdict(t) | {"chart": CHARTS.get(key, "")} for key, t in sections.items()}
    return render(
        request,
        "analytics/dashboard.html",
        {
            "scope": scope,
            "sections": data,
            "agencies": agencies_visible_to(request.user).order_by("path"),
            "today": today,
        },
    )


class SummaryView(APIView):
    @extend_schema(
        summary="统计分析：数量、结构、分布、流向、服务与数据质量（R38）",
        parameters=[OpenApiParameter("agency", str, description="机构代码，默认为本人可见范围")],
        responses={
            200: inline_serializer(
                "AnalyticsSummary",
                {
                    "scope": serializers.CharField(),
                    "sections": serializers.DictField(
                        child=inline_serializer(
                            "AnalyticsTable",
                            {
                                "title": serializers.CharField(),
                                "header": serializers.ListField(child=serializers.CharField()),
                                "rows": serializers.ListField(
                                    child=serializers.ListField(child=serializers.JSONField())
                                ),
                                "note": serializers.CharField(help_text="表外说明（未计入的部分等），可为空"),
                            },
                        )
                    ),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        scope = scope_for(request.user, (request.query_params.get("agency") or "")[:20] or None)
        sections = cached_sections(scope, timezone.localdate())
        return Response({"scope": scope.root.code, "sections": {k: dataclasses.asdict(t) for k, t in sections.items()}})
