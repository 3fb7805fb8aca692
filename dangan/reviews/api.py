"""REST endpoints, one per action; separate input and output serializers; the same services as the console."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangan.casework import registry
from dangan.casework.models import ApplicantKind, Channel
from dangan.core.errors import NotFound
from dangan.core.pdf import pdf_response
from dangan.reviews import purposes, services
from dangan.reviews import workflow as wf
from dangan.reviews.models import Direction, PartyTransfer, PoliticalReview
from dangan.reviews.papers import review_filename
from dangan.reviews.selectors import (
    PARTY_NOT_FOUND,
    REVIEW_NOT_FOUND,
    party_transfers_visible_to,
    reviews_visible_to,
)

# --- Output --------------------------------------------------------------------------------------


class ReviewPurposeOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class ExtractFactOut(serializers.Serializer[Any]):
    item = serializers.CharField()
    value = serializers.CharField()


class ExtractSectionOut(serializers.Serializer[Any]):
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


def _staff_name(user: Any) -> str:
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    return str(getattr(staff, "full_name", "") or user.get_username())


class PoliticalReviewOut(serializers.ModelSerializer[PoliticalReview]):
    status = serializers.CharField(source="request.status")
    status_label = serializers.SerializerMethodField()
    purpose_name = serializers.CharField()
    person_name = serializers.CharField(source="dossier.person.name")
    agency = serializers.CharField(source="agency.name")
    request_number = serializers.CharField(source="request.number")
    due = serializers.DateField(source="request.due")

    class Meta:
        model = PoliticalReview
        fields = [
            "id", "serial", "status", "status_label", "purpose", "purpose_name", "organisation", "letter_number",
            "reviewer_name", "person_name", "agency", "request_number", "due", "drafted_at", "approved_at",
            "released_at", "released_to",
        ]  # fmt: skip

    def get_status_label(self, obj: PoliticalReview) -> str:
        return registry.status_label(obj.request.service_type, obj.request.status)


class PoliticalReviewDetailOut(PoliticalReviewOut):
    facts = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    drafter = serializers.SerializerMethodField()
    approver = serializers.SerializerMethodField()

    class Meta(PoliticalReviewOut.Meta):
        fields = [*PoliticalReviewOut.Meta.fields, "conclusion", "facts", "sections", "drafter", "approver"]

    @extend_schema_field(ExtractFactOut(many=True))
    def get_facts(self, obj: PoliticalReview) -> list[dict[str, str]]:
        return list(obj.extract.get("facts", []))

    @extend_schema_field(ExtractSectionOut(many=True))
    def get_sections(self, obj: PoliticalReview) -> list[dict[str, Any]]:
        return list(obj.extract.get("sections", []))

    def get_drafter(self, obj: PoliticalReview) -> str:
        return _staff_name(obj.drafted_by)

    def get_approver(self, obj: PoliticalReview) -> str:
        return _staff_name(obj.approved_by)


class PartyTransferOut(serializers.ModelSerializer[PartyTransfer]):
    status = serializers.CharField(source="request.status")
    status_label = serializers.SerializerMethodField()
    person_name = serializers.CharField(source="dossier.person.name")
    agency = serializers.CharField(source="agency.name")
    request_number = serializers.CharField(source="request.number")
    branch = serializers.CharField(source="membership.branch")

    class Meta:
        model = PartyTransfer
        fields = [
            "id", "direction", "status", "status_label", "person_name", "agency", "request_number", "letter_number",
            "issuing_organisation", "receiving_organisation", "issued_on", "valid_until", "reported_on",
            "branch_before", "branch_after", "branch", "completed_at", "note",
        ]  # fmt: skip

    def get_status_label(self, obj: PartyTransfer) -> str:
        return registry.status_label(obj.request.service_type, obj.request.status)


# --- Input ---------------------------------------------------------------------------------------


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    if kwargs.pop("optional", False):
        kwargs.update(required=False, allow_blank=True, default="")
    return serializers.CharField(max_length=max_length, **kwargs)


def _accepted_via() -> serializers.ChoiceField:
    # Not named "channel": that name already carries two choice sets in the schema (casework, transfers).
    return serializers.ChoiceField(
        choices=[(Channel.COUNTER, "窗口"), (Channel.ONLINE, "网办")],
        default=Channel.COUNTER,
        help_text="受理渠道；异地代收由系统判定",
    )


class ReviewApplyIn(serializers.Serializer[Any]):
    person_id_number = _text(18)
    purpose = serializers.ChoiceField(choices=purposes.choices())
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.ORGANISATION)
    organisation = _text(100)
    organisation_code = _text(32, optional=True)
    applicant_phone = _text(20, optional=True)
    letter_number = _text(50, optional=True)
    reviewer_name = _text(50)
    reviewer_id_number = _text(32)
    documents = serializers.ListField(child=_text(30), max_length=20)
    accepted_via = _accepted_via()


class ReviewDraftIn(serializers.Serializer[Any]):
    conclusion = _text(services.CONCLUSION_MAX)


class ReviewApproveIn(serializers.Serializer[Any]):
    note = _text(500, optional=True)


class ReviewReleaseIn(serializers.Serializer[Any]):
    released_to = _text(50, optional=True)


class ReviewReasonIn(serializers.Serializer[Any]):
    note = _text(500, optional=True)


class PartyApplyIn(serializers.Serializer[Any]):
    person_id_number = _text(18)
    direction = serializers.ChoiceField(choices=Direction.choices)
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = _text(100)
    applicant_id_number = _text(32, optional=True)
    applicant_phone = _text(20, optional=True)
    letter_number = _text(50)
    issuing_organisation = _text(100)
    receiving_organisation = _text(100)
    issued_on = serializers.DateField()
    valid_until = serializers.DateField()
    documents = serializers.ListField(child=_text(30), max_length=20)
    note = _text(200, optional=True)
    accepted_via = _accepted_via()


class PartyCompleteIn(serializers.Serializer[Any]):
    reported_on = serializers.DateField()
    note = _text(200, optional=True)


class PartyReasonIn(serializers.Serializer[Any]):
    note = _text(500, optional=True)


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    values = dict(data.validated_data)
    if "accepted_via" in values:
        values["channel"] = values.pop("accepted_via")
    return values


# --- Political review ----------------------------------------------------------------------------


class PoliticalReviewViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[PoliticalReview]):
    serializer_class = PoliticalReviewOut
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[PoliticalReview]:
        return reviews_visible_to(self.request.user)

    def _out(self, pk: int, status: int = 200) -> Response:
        review = self.get_queryset().filter(pk=pk).first()
        if review is None:
            raise NotFound(REVIEW_NOT_FOUND)
        return Response(PoliticalReviewDetailOut(review).data, status=status)

    @extend_schema(summary="政审（考察）列表")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="查看政审（考察）及档案情况摘录（查看记入审计日志）", responses={200: PoliticalReviewDetailOut}
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        review = services.political_review_view(actor=request.user, review_id=int(pk))
        return Response(PoliticalReviewDetailOut(review).data)

    @extend_schema(
        summary="受理政审（考察）申请（仅限单位，个人不能申请）",
        request=ReviewApplyIn,
        responses={201: PoliticalReviewDetailOut},
    )
    def create(self, request: Request) -> Response:
        review = services.political_review_apply(actor=request.user, **_valid(ReviewApplyIn, request))
        return self._out(review.pk, status=201)

    @extend_schema(
        summary="依据档案记载生成摘录并填写审查意见", request=ReviewDraftIn, responses={200: PoliticalReviewDetailOut}
    )
    @action(detail=True, methods=["post"])
    def draft(self, request: Request, pk: str) -> Response:
        services.political_review_draft(actor=request.user, review_id=int(pk), **_valid(ReviewDraftIn, request))
        return self._out(int(pk))

    @extend_schema(
        summary="审核摘录（须由生成人以外的审批负责人）",
        request=ReviewApproveIn,
        responses={200: PoliticalReviewDetailOut},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        services.political_review_approve(actor=request.user, review_id=int(pk), **_valid(ReviewApproveIn, request))
        return self._out(int(pk))

    @extend_schema(
        summary="向来函单位出具已审核的摘录", request=ReviewReleaseIn, responses={200: PoliticalReviewDetailOut}
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        services.political_review_release(actor=request.user, review_id=int(pk), **_valid(ReviewReleaseIn, request))
        return self._out(int(pk))

    @extend_schema(
        summary="退回重新生成摘录（须说明理由）", request=ReviewReasonIn, responses={200: PoliticalReviewDetailOut}
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str) -> Response:
        data = _valid(ReviewReasonIn, request)
        services.political_review_decide(actor=request.user, review_id=int(pk), to=wf.SUBMITTED, **data)
        return self._out(int(pk))

    @extend_schema(summary="不予办理（须说明理由）", request=ReviewReasonIn, responses={200: PoliticalReviewDetailOut})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        data = _valid(ReviewReasonIn, request)
        services.political_review_decide(actor=request.user, review_id=int(pk), to=wf.REJECTED, **data)
        return self._out(int(pk))

    @extend_schema(summary="撤回申请", request=ReviewReasonIn, responses={200: PoliticalReviewDetailOut})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = _valid(ReviewReasonIn, request)
        services.political_review_decide(actor=request.user, review_id=int(pk), to=wf.WITHDRAWN, **data)
        return self._out(int(pk))

    @extend_schema(
        summary="《政审（考察）档案情况摘录》（PDF，审核通过后方可下载，下载记入审计日志）",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str) -> HttpResponse:
        pdf = services.political_review_print(actor=request.user, review_id=int(pk))
        review = self.get_queryset().get(pk=int(pk))
        return pdf_response(pdf, review_filename(review))

    @extend_schema(summary="政审（考察）事由", responses={200: ReviewPurposeOut(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def purposes(self, request: Request) -> Response:
        return Response(ReviewPurposeOut(purposes.purposes(), many=True).data)


# --- Party-membership transfer -----------------------------------------------------------------


class PartyTransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[PartyTransfer]):
    serializer_class = PartyTransferOut
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet[PartyTransfer]:
        return party_transfers_visible_to(self.request.user)

    def _out(self, pk: int, status: int = 200) -> Response:
        transfer = self.get_queryset().filter(pk=pk).first()
        if transfer is None:
            raise NotFound(PARTY_NOT_FOUND)
        return Response(PartyTransferOut(transfer).data, status=status)

    @extend_schema(summary="党员组织关系接转列表")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="查看党员组织关系接转")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="登记党员组织关系转入或转出（仅限中共党员、预备党员）",
        request=PartyApplyIn,
        responses={201: PartyTransferOut},
    )
    def create(self, request: Request) -> Response:
        transfer = services.party_transfer_apply(actor=request.user, **_valid(PartyApplyIn, request))
        return self._out(transfer.pk, status=201)

    @extend_schema(
        summary="登记报到日期并办结（更新党组织关系所在）", request=PartyCompleteIn, responses={200: PartyTransferOut}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        services.party_transfer_complete(actor=request.user, transfer_id=int(pk), **_valid(PartyCompleteIn, request))
        return self._out(int(pk))

    @extend_schema(summary="不予办理（须说明理由）", request=PartyReasonIn, responses={200: PartyTransferOut})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        data = _valid(PartyReasonIn, request)
        services.party_transfer_decide(actor=request.user, transfer_id=int(pk), to=wf.REJECTED, **data)
        return self._out(int(pk))

    @extend_schema(summary="撤回登记", request=PartyReasonIn, responses={200: PartyTransferOut})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = _valid(PartyReasonIn, request)
        services.party_transfer_decide(actor=request.user, transfer_id=int(pk), to=wf.WITHDRAWN, **data)
        return self._out(int(pk))
