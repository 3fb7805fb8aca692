from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from dangan.ratings import services
from dangan.ratings.grades import Grade
from dangan.ratings.links import rate_url
from dangan.ratings.models import Rating, RectificationCase
from dangan.ratings.selectors import cases_visible_to, rating_report, ratings_visible_to, service_title


class RatingOut(serializers.ModelSerializer[Rating]):
    grade_title = serializers.CharField(source="get_grade_display")
    channel = serializers.CharField()
    grade = serializers.CharField()
    category = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    service_title = serializers.SerializerMethodField()
    staff_name = serializers.SerializerMethodField()
    request_number = serializers.CharField(source="request.number", default="")
    case_id = serializers.SerializerMethodField()

    class Meta:
        model = Rating
        fields = [
            "id", "channel", "grade", "grade_title", "category", "comment", "agency", "service_type", "service_title",
            "staff_name", "rated_at", "excluded", "request_number", "case_id",
        ]  # fmt: skip

    def get_service_title(self, obj: Rating) -> str:
        return service_title(obj.service_type)

    def get_staff_name(self, obj: Rating) -> str:
        staff = getattr(obj.staff, "staff", None) if obj.staff_id else None
        return str(getattr(staff, "full_name", ""))

    def get_case_id(self, obj: Rating) -> int | None:
        case = getattr(obj, "case", None)
        return case.pk if case is not None else None


class RatingIn(serializers.Serializer[Any]):
    # A plain string (the service checks it): an enum named "channel" here would collide in the schema.
    channel = serializers.CharField(max_length=10, help_text="counter（窗口，凭评价码）或 online（网办，凭办件）")
    grade = serializers.ChoiceField(choices=Grade.values)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    request_id = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    visit_token = serializers.CharField(max_length=64, required=False, allow_null=True, default=None)


class CounterVisitIn(serializers.Serializer[Any]):
    service_type = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    request_number = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")


class CounterVisitOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    token = serializers.CharField()
    rate_url = serializers.CharField()
    service_type = serializers.CharField()
    ended_at = serializers.DateTimeField()


class RatingReportQuery(serializers.Serializer[Any]):
    by = serializers.ChoiceField(choices=["agency", "service_type", "staff"], default="agency")
    date_from = serializers.DateField(required=False, default=None)
    date_to = serializers.DateField(required=False, default=None)


class RatingReportRowOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    grades = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    good = serializers.IntegerField()
    average = serializers.IntegerField()
    poor = serializers.IntegerField()
    good_rate = serializers.FloatField()
    average_rate = serializers.FloatField()
    poor_rate = serializers.FloatField()
    excluded = serializers.IntegerField()
    cases_open = serializers.IntegerField()
    cases_overdue = serializers.IntegerField()


class RectificationCaseOut(serializers.ModelSerializer[RectificationCase]):
    status_title = serializers.CharField(source="get_status_display")
    status = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    overdue = serializers.SerializerMethodField()
    rating = RatingOut()

    class Meta:
        model = RectificationCase
        fields = [
            "id", "status", "status_title", "agency", "opened_on", "due", "due_provisional", "overdue", "rating",
            "verification", "substantiated", "rectification", "answer", "closed_at", "appeal_reason",
            "appeal_upheld", "appeal_decision",
        ]  # fmt: skip

    def get_overdue(self, obj: RectificationCase) -> bool:
        return obj.is_overdue(timezone.localdate())


class RectificationVerifyIn(serializers.Serializer[Any]):
    verification = serializers.CharField(max_length=2000)
    substantiated = serializers.BooleanField()


class RectificationAnswerIn(serializers.Serializer[Any]):
    answer = serializers.CharField(max_length=2000)
    rectification = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RectificationAppealIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class RectificationDecisionIn(serializers.Serializer[Any]):
    upheld = serializers.BooleanField()
    decision = serializers.CharField(max_length=2000)


class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Rating]):
    serializer_class = RatingOut
    lookup_value_regex = r"\d{1,18}"

    def get_permissions(self) -> Sequence[Any]:
        if self.action == "create":
            return [AllowAny()]  # a counter visit is rated with its one-time token, without an account
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[Rating]:
        return ratings_visible_to(self.request.user)

    @extend_schema(
        summary="评价一次服务：网办按事项（申请人本人），窗口按次（凭一次性评价码）（R32）",
        request=RatingIn,
        responses={201: RatingOut},
    )
    def create(self, request: Request) -> Response:
        data = RatingIn(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_submit(rater=request.user, **data.validated_data)
        return Response(RatingOut(rating).data, status=201)

    @extend_schema(summary="办结窗口服务，生成一次性评价码", request=CounterVisitIn, responses={201: CounterVisitOut})
    @action(detail=False, methods=["post"])
    def visits(self, request: Request) -> Response:
        data = CounterVisitIn(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_end(actor=request.user, **data.validated_data)
        body = {"id": visit.pk, "token": visit.token, "rate_url": rate_url(visit),
                "service_type": visit.service_type, "ended_at": visit.ended_at}  # fmt: skip
        return Response(CounterVisitOut(body).data, status=201)

    @extend_schema(
        summary="好差评统计：按机构、服务事项或经办人员",
        parameters=[RatingReportQuery],
        responses={200: RatingReportRowOut(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def report(self, request: Request) -> Response:
        query = RatingReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = rating_report(request.user, today=timezone.localdate(), **query.validated_data)
        return Response(RatingReportRowOut(rows, many=True).data)


class RectificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[RectificationCase]
):
    serializer_class = RectificationCaseOut
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[RectificationCase]:
        return cases_visible_to(self.request.user)

    def _out(self, pk: str) -> Response:
        return Response(RectificationCaseOut(self.get_queryset().get(pk=int(pk))).data)

    @extend_schema(summary="核实差评反映的问题", request=RectificationVerifyIn, responses={200: RectificationCaseOut})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        data = RectificationVerifyIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_verify(actor=request.user, case_id=int(pk), **data.validated_data)
        return self._out(pk)

    @extend_schema(summary="整改并答复评价人", request=RectificationAnswerIn, responses={200: RectificationCaseOut})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        data = RectificationAnswerIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_answer(actor=request.user, case_id=int(pk), **data.validated_data)
        return self._out(pk)

    @extend_schema(summary="办结整改", request=None, responses={200: RectificationCaseOut})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        services.case_close(actor=request.user, case_id=int(pk))
        return self._out(pk)

    @extend_schema(
        summary="对误评、恶意差评提出申诉", request=RectificationAppealIn, responses={200: RectificationCaseOut}
    )
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: str) -> Response:
        data = RectificationAppealIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_appeal(actor=request.user, case_id=int(pk), **data.validated_data)
        return self._out(pk)

    @extend_schema(summary="上级督导处理申诉", request=RectificationDecisionIn, responses={200: RectificationCaseOut})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = RectificationDecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_decide_appeal(actor=request.user, case_id=int(pk), **data.validated_data)
        return self._out(pk)
